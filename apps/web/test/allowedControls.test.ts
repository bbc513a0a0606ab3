import { describe, expect, it } from 'vitest';
import { allowedControls } from '../src/views/deployments/allowedControls.ts';

describe('allowedControls', () => {
  it('offers what the deployment state machine allows in each state', () => {
    const states = ['PLANNED', 'RUNNING', 'PAUSED', 'COMPLETED', 'ABORTED'];
    expect(
      Object.fromEntries(
        states.map((state) => [state, allowedControls(state)]),
      ),
    ).toEqual({
      PLANNED: ['start', 'abort'],
      RUNNING: ['pause', 'abort'],
      PAUSED: ['resume', 'abort'],
      COMPLETED: [],
      ABORTED: [],
    });
  });
});

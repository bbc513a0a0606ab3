import type { ReactNode } from 'react';
import { CatchUpView } from './views/catchUp/CatchUpView.tsx';
import { DeploymentsView } from './views/deployments/DeploymentsView.tsx';
import { DeviceDetailView } from './views/device/DeviceDetailView.tsx';
import { DevicesView } from './views/devices/DevicesView.tsx';
import { EscalationView } from './views/escalation/EscalationView.tsx';
import { FleetHealthView } from './views/fleet/FleetHealthView.tsx';
import { GroupsView } from './views/groups/GroupsView.tsx';
import { NotFoundView } from './views/notFound/NotFoundView.tsx';
import { deviceIdOfPath } from './router/devicePath.ts';

/** The main navigation, in order. */
export const NAVIGATION = [
  { path: '/', label: 'Fleet health' },
  { path: '/escalation', label: 'Offline escalation' },
  { path: '/devices', label: 'Devices' },
  { path: '/groups', label: 'Groups' },
  { path: '/catch-up', label: 'Catch-up queue' },
  { path: '/deployments', label: 'Deployments' },
] as const;

/**
 * The view for a path, and the navigation entry it belongs to ('' for an
 * unknown path, which shows "Page not found").
 */
export function routeFor(path: string): {
  section: string;
  element: ReactNode;
} {
  const id = deviceIdOfPath(path);
  if (id !== null) {
    return {
      section: '/devices',
      element: <DeviceDetailView key={id} deviceId={id} />,
    };
  }

  switch (path) {
    case '/':
      return { section: path, element: <FleetHealthView /> };
    case '/escalation':
      return { section: path, element: <EscalationView /> };
    case '/devices':
      return { section: path, element: <DevicesView /> };
    case '/groups':
      return { section: path, element: <GroupsView /> };
    case '/catch-up':
      return { section: path, element: <CatchUpView /> };
    case '/deployments':
      return { section: path, element: <DeploymentsView /> };
    default:
      return { section: '', element: <NotFoundView path={path} /> };
  }
}

/** Deployments: plans, progress by wave, approvals. */

import type { DeploymentsQuery } from '../generated.ts';

export const DEPLOYMENTS = /* GraphQL */ `
  query Deployments($first: Int) {
    deployments(first: $first) {
      edges {
        node {
          id
          artifact
          targetVersion
          state
          currentWave
          createdAt
          waves {
            index
            name
            isCanary
            state
            requireApproval
            approvedBy
            soakUntil
            succeeded
            failed
            skipped
            pending
          }
        }
      }
    }
  }
`;

export const PLAN_DEPLOYMENT = /* GraphQL */ `
  mutation PlanDeployment($yaml: String!) {
    planDeployment(manifestYaml: $yaml) {
      targetCount
      offlineCount
      offlineWarning
      canary
      eligible {
        deviceId
      }
      excluded {
        deviceId
        reason
      }
      waves {
        index
        name
        devices
        offline
      }
    }
  }
`;

export const APPROVE_WAVE = /* GraphQL */ `
  mutation ApproveWave($deploymentId: ID!, $waveIndex: Int!) {
    approveWave(deploymentId: $deploymentId, waveIndex: $waveIndex) {
      id
    }
  }
`;

/** Starts a planned deployment: its first wave begins. */
export const START_DEPLOYMENT = /* GraphQL */ `
  mutation StartDeployment($id: ID!) {
    startDeployment(id: $id) {
      id
      state
    }
  }
`;

/** Pauses a running deployment. */
export const PAUSE_DEPLOYMENT = /* GraphQL */ `
  mutation PauseDeployment($id: ID!) {
    pauseDeployment(id: $id) {
      id
      state
    }
  }
`;

/** Resumes a paused deployment. */
export const RESUME_DEPLOYMENT = /* GraphQL */ `
  mutation ResumeDeployment($id: ID!) {
    resumeDeployment(id: $id) {
      id
      state
    }
  }
`;

/** Aborts a planned, running or paused deployment. */
export const ABORT_DEPLOYMENT = /* GraphQL */ `
  mutation AbortDeployment($id: ID!, $reason: String) {
    abortDeployment(id: $id, reason: $reason) {
      id
      state
    }
  }
`;

/** One deployment with its waves. */
export type Deployment =
  DeploymentsQuery['deployments']['edges'][number]['node'];

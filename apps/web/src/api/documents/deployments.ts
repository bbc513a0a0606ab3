/** Deployments: plans, progress by wave, approvals. */

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

/** One wave and its progress. */
export interface DeploymentWave {
  index: number;
  name: string;
  isCanary: boolean;
  state: string;
  requireApproval: boolean;
  approvedBy: string | null;
  soakUntil: string | null;
  succeeded: number;
  failed: number;
  skipped: number;
  pending: number;
}

/** One deployment. */
export interface Deployment {
  id: string;
  artifact: string;
  targetVersion: string;
  state: string;
  currentWave: number | null;
  createdAt: string;
  waves: DeploymentWave[];
}

/** Shape of DEPLOYMENTS. */
export interface DeploymentsData {
  deployments: { edges: { node: Deployment }[] };
}

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

/** Shape of PLAN_DEPLOYMENT. */
export interface PlanDeploymentData {
  planDeployment: {
    targetCount: number;
    offlineCount: number;
    offlineWarning: string | null;
    canary: string[];
    eligible: { deviceId: string }[];
    excluded: { deviceId: string; reason: string }[];
    waves: {
      index: number;
      name: string;
      devices: string[];
      offline: string[];
    }[];
  };
}

export const APPROVE_WAVE = /* GraphQL */ `
  mutation ApproveWave($deploymentId: ID!, $waveIndex: Int!) {
    approveWave(deploymentId: $deploymentId, waveIndex: $waveIndex) {
      id
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

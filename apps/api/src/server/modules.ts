import { alertsModule } from '../alerts/alertsModule.ts';
import { authModule } from '../auth/authModule.ts';
import { catchUpModule } from '../catchUp/catchUpModule.ts';
import { deploymentsModule } from '../deployments/deploymentsModule.ts';
import { devicesModule } from '../devices/devicesModule.ts';
import { groupsModule } from '../groups/groupsModule.ts';
import { liveModule } from '../live/liveModule.ts';
import { livenessModule } from '../liveness/livenessModule.ts';
import { offlineDevicesModule } from '../liveness/offlineDevicesModule.ts';
import { syncModule } from '../sync/syncModule.ts';
import { systemModule } from '../system/systemModule.ts';
import { tagsModule } from '../tags/tagsModule.ts';
import type { GraphqlModule } from './graphqlModule.ts';

/** Every domain of the API, in the order their SDL is merged. */
export const modules: GraphqlModule[] = [
  systemModule,
  authModule,
  devicesModule,
  tagsModule,
  groupsModule,
  liveModule,
  livenessModule,
  offlineDevicesModule,
  alertsModule,
  syncModule,
  deploymentsModule,
  catchUpModule,
];

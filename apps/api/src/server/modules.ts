import { authModule } from '../auth/authModule.ts';
import { systemModule } from '../system/systemModule.ts';
import type { GraphqlModule } from './graphqlModule.ts';

/** Every domain of the API, in the order their SDL is merged. */
export const modules: GraphqlModule[] = [systemModule, authModule];

export * from './vocabulary.ts';
export * from './semver.ts';

/**
 * Test support shared with the API's SQL differential test, exported as
 * `@rollcall/tag-query/testing`: the fixture fleet, the selection table and
 * fast-check arbitraries for random queries and fleets.
 */

export * from './arbitraries.ts';
export * from './cases.ts';
export * from './fleet.ts';

/**
 * The custom search attributes cs-cases registers, for the provisioning scripts: the list itself lives
 * with the worker (worker/namespace-setup.ts), which registers it on every start.
 */
export { CASE_SEARCH_ATTRIBUTES, cliSearchAttributePairs, cliSearchAttributeType, type SearchAttributeDefinition } from '../../worker/namespace-setup';

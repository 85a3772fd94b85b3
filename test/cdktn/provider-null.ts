/**
 * What `@cdktf/provider-null` means in the cdktn test project (see resolver.js): the cdktn
 * package's built-in binding, so the construct tests' `nullProvider.NullProvider` and
 * `nullResource.Resource` name the classes the gate really uses on that core.
 */
export { provider, resource } from '../../cdktn/src/null-binding';

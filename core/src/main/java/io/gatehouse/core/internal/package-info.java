/**
 * Helpers that Gatehouse's own modules share: Go-compatible quoting ({@link io.gatehouse.core.internal.GoText}),
 * size- and depth-bounded YAML ({@link io.gatehouse.core.internal.BoundedYaml}), size-capped HTTP bodies
 * ({@link io.gatehouse.core.internal.CappedBody}) and files reloaded on change with an atomic swap
 * ({@link io.gatehouse.core.internal.ReloadingFile}).
 *
 * <p><strong>Not API.</strong> The module system exports this package only to Gatehouse's modules. On the class
 * path it is reachable, but it carries no compatibility promise: it changes whenever Gatehouse needs it to.
 * Third-party authenticator modules build on {@code io.gatehouse.core.spi}.
 */
package io.gatehouse.core.internal;

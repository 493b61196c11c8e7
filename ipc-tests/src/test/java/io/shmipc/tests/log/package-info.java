/**
 * System tests of the {@code PUBLISH_SUBSCRIBE} kind across separate JVMs: lossless fan-out, untethered skips,
 * history and replay over a file on disk, dead, stopped and half-written endpoints, and corrupt positions.
 */
package io.shmipc.tests.log;

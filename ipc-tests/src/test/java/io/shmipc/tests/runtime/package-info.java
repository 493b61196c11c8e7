/**
 * Channels added and removed while a region is used, across separate JVMs: racing additions, churn under traffic,
 * services and many-channel waits.
 */
package io.shmipc.tests.runtime;

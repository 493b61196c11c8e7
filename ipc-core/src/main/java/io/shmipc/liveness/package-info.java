/**
 * Liveness without PIDs as the truth: endpoints hold OFD locks on their own byte ranges of the region file, which
 * the kernel releases when their process dies, in any PID namespace or container sharing the file
 * ({@link io.shmipc.liveness.RegionLocks}, {@link io.shmipc.liveness.EndpointRegistration},
 * {@link io.shmipc.liveness.ProcessIdentity}). Internal to the module.
 */
package io.shmipc.liveness;

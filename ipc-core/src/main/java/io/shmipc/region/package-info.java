/**
 * A region's file, internal to the module: creating and attaching ({@link io.shmipc.region.RegionOpening}), the
 * open and mapped file a region handle and its endpoints share ({@link io.shmipc.region.MappedRegion}), opening,
 * unlinking and stale removal by name ({@link io.shmipc.region.RegionFiles}), and the check that Agrona may reach
 * what it needs ({@link io.shmipc.region.AgronaAccess}).
 */
package io.shmipc.region;

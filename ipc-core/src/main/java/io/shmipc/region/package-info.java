/**
 * A region's file, internal to the module: creating it atomically ({@link io.shmipc.region.RegionCreation}),
 * attaching ({@link io.shmipc.region.RegionOpening}), the open and mapped file a region handle and its endpoints share
 * ({@link io.shmipc.region.MappedRegion}), opening, unnamed and temporary files and linking
 * ({@link io.shmipc.region.RegionFiles}), removing names only from files proven to be regions
 * ({@link io.shmipc.region.RegionRemoval}), and the check that Agrona may reach what it needs
 * ({@link io.shmipc.region.AgronaAccess}).
 */
package io.shmipc.region;

/**
 * A live region's directory of channels: reading it without a lock ({@link io.shmipc.directory.DirectoryView}),
 * adding and removing channels under the directory lock ({@link io.shmipc.directory.ChannelDirectory}), and the
 * first-fit allocator of the data area ({@link io.shmipc.directory.SpaceAllocator}), whose state is the directory
 * itself. Internal: not exported by the module.
 */
package io.shmipc.directory;

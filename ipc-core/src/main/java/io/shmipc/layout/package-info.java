/**
 * Descriptors of the shared-memory layout, each with a byte diagram: {@link io.shmipc.layout.RegionHeaderDescriptor},
 * {@link io.shmipc.layout.DirectoryDescriptor}, {@link io.shmipc.layout.ChannelDescriptor},
 * {@link io.shmipc.layout.EndpointDescriptor} and {@link io.shmipc.layout.CountersDescriptor};
 * {@link io.shmipc.layout.ChannelLayout} places one channel; {@link io.shmipc.layout.RegionLayout} plans a layout
 * and writes it at create, {@link io.shmipc.layout.LayoutReader} validates one read from untrusted memory.
 * Internal to the module.
 */
package io.shmipc.layout;

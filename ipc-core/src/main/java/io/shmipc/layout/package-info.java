/**
 * Descriptors of the shared-memory layout, each with a byte diagram: {@link io.shmipc.layout.RegionHeaderDescriptor},
 * {@link io.shmipc.layout.DirectoryDescriptor}, {@link io.shmipc.layout.ChannelDescriptor} and
 * {@link io.shmipc.layout.EndpointDescriptor}; {@link io.shmipc.layout.RegionLayout} plans a layout at create and
 * validates one read from untrusted memory at attach.
 */
package io.shmipc.layout;

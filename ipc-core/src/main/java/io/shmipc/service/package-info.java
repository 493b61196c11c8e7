/**
 * The parts of request/response that are not API: the client's table of pending requests
 * ({@link io.shmipc.service.PendingRequests}). The API ({@code io.shmipc.ServiceServer},
 * {@code io.shmipc.ServiceClient}) is built on it, on ordinary channels added at runtime and on the records of
 * {@code io.shmipc.layout.ServiceDescriptor}. Internal: not exported by the module.
 */
package io.shmipc.service;

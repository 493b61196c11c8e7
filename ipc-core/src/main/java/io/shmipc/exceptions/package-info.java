/**
 * The typed exceptions shm-ipc throws. Every one extends {@link io.shmipc.exceptions.ShmIpcException} and names
 * the region, the field or call and the value concerned. Expected conditions on the data path (back-pressure,
 * closed) are return codes, never exceptions.
 */
package io.shmipc.exceptions;

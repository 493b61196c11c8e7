/**
 * Test helpers shared by the unit tests of the protocol pieces.
 */
package io.shmipc.testing;

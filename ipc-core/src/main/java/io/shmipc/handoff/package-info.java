/**
 * Handing an anonymous region to the processes this one starts: {@link io.shmipc.handoff.HandoffServer} serves the
 * region's descriptor over an abstract Unix-domain socket ({@code SCM_RIGHTS}) to each process it issued a
 * {@link io.shmipc.handoff.HandoffGrant} for, checking with {@code SO_PEERCRED} that the peer is that process and
 * that it presents the grant's one-time secret; {@link io.shmipc.handoff.HandoffClient} is the started process's
 * side. {@link io.shmipc.handoff.HandoffProtocol} is the wire format, which docs/layout.md describes for other
 * languages.
 */
package io.shmipc.handoff;

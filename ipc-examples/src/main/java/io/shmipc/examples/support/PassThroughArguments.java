package io.shmipc.examples.support;

/**
 * A command that hands all its arguments, options included, to another program's own parser, in order:
 * {@link CommandRunner} makes picocli treat everything from the first argument on as positional.
 */
public interface PassThroughArguments
{
}

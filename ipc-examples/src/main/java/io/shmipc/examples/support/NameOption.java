package io.shmipc.examples.support;

import picocli.CommandLine.Option;

/**
 * {@code --name ROLE}: the name in the {@code [ROLE pid]} prefix of every line the process prints. A picocli mixin
 * with the command's own default.
 */
public final class NameOption
{
    @Option(names = "--name", paramLabel = "ROLE")
    private String name;

    /**
     * The option with a default.
     *
     * @param defaultName the name used without {@code --name}.
     */
    public NameOption(final String defaultName)
    {
        this.name = defaultName;
    }

    /**
     * The name.
     *
     * @return the name given, or the default.
     */
    public String name()
    {
        return name;
    }
}

package io.shmipc.toolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How to start a {@link ChildProcess}: its environment, working directory, whether standard error is kept apart,
 * whether its lines are echoed as they come, and whether it gets the default action for {@code SIGINT} and
 * {@code SIGTERM}.
 */
public final class ChildProcessBuilder
{
    private final String name;
    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Consumer<String> echo;
    private boolean separateErrors;
    private boolean defaultSignals;
    private Path directory;

    ChildProcessBuilder(final String name, final List<String> command)
    {
        this.name = name;
        this.command = List.copyOf(command);
    }

    /**
     * Also hand every line, as it is read, to a consumer (to relay or echo it).
     *
     * @param consumer called from the reading thread.
     * @return this.
     */
    public ChildProcessBuilder echo(final Consumer<String> consumer)
    {
        this.echo = consumer;
        return this;
    }

    /**
     * Keep standard error apart from standard output.
     *
     * @return this.
     */
    public ChildProcessBuilder separateErrors()
    {
        this.separateErrors = true;
        return this;
    }

    /**
     * Set an environment variable of the child.
     *
     * @param key   the name.
     * @param value the value.
     * @return this.
     */
    public ChildProcessBuilder environment(final String key, final String value)
    {
        environment.put(key, value);
        return this;
    }

    /**
     * Run the child in a directory.
     *
     * @param workingDirectory the directory.
     * @return this.
     */
    public ChildProcessBuilder directory(final Path workingDirectory)
    {
        this.directory = workingDirectory;
        return this;
    }

    /**
     * Give the child the default action for {@code SIGINT} and {@code SIGTERM} even when this process ignores
     * them (a process started in the background of a shell without job control ignores {@code SIGINT}, and
     * so would its children): for a child the caller will signal.
     *
     * @return this.
     */
    public ChildProcessBuilder defaultSignals()
    {
        this.defaultSignals = true;
        return this;
    }

    /**
     * Start it.
     *
     * @return the running child.
     * @throws ChildProcessException when it cannot start.
     */
    public ChildProcess start()
    {
        final List<String> full = new ArrayList<>();
        if (defaultSignals && ProcessSignals.ignoresInterrupts() && Files.isExecutable(Path.of("/usr/bin/env")))
        {
            full.addAll(List.of("/usr/bin/env", "--default-signal=INT,TERM"));
        }
        full.addAll(command);
        final ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(!separateErrors);
        builder.environment().putAll(environment);
        if (directory != null)
        {
            builder.directory(directory.toFile());
        }
        try
        {
            return new ChildProcess(name, builder.start(), echo, separateErrors);
        }
        catch (final IOException ex)
        {
            throw new ChildProcessException("cannot start " + name + ": " + full + " (" + ex.getMessage() + ")",
                ex);
        }
    }
}

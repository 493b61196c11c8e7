package io.shmipc.tests.container;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a {@link SharedMemoryContainer} shares memory with the test JVM or other containers, applied when Docker
 * creates it: its IPC namespace (private, the host's, shareable, or another container's), the user it runs as, and
 * the host directories bind-mounted into it, with the translation of host paths under those directories.
 */
final class ContainerSharing
{
    private final Supplier<String> description;
    private final Map<Path, String> sharedDirectories = new LinkedHashMap<>();
    private Supplier<String> ipcMode = () -> null;
    private String ipcDescription = "private";
    private String user;

    /**
     * Sharing nothing yet: a private IPC namespace, the image's user, no directory.
     *
     * @param description how messages name the container.
     */
    ContainerSharing(final Supplier<String> description)
    {
        this.description = description;
    }

    void ipc(final String mode)
    {
        ipcMode = () -> mode;
        ipcDescription = mode;
    }

    void ipcOf(final SharedMemoryContainer owner)
    {
        ipcMode = () ->
        {
            if (owner.getContainerId() == null)
            {
                throw new IllegalStateException("start the IPC owner before the containers joining it: " +
                    owner.describe());
            }
            return "container:" + owner.getContainerId();
        };
        ipcDescription = "container:" + owner.getDockerImageName();
    }

    void shareDirectory(final Path hostDirectory, final String containerPath)
    {
        // Added when the container is created rather than with withFileSystemBind, whose first use makes
        // Testcontainers check file mounting by running an image from a registry.
        sharedDirectories.put(hostDirectory.toAbsolutePath().normalize(), containerPath);
    }

    void runAsHostUser()
    {
        try
        {
            final Path self = Path.of("/proc/self");
            user = Files.getAttribute(self, "unix:uid") + ":" + Files.getAttribute(self, "unix:gid");
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            throw new IllegalStateException("cannot read this process's uid and gid", ex);
        }
    }

    String containerPath(final Path hostPath)
    {
        final Path host = hostPath.toAbsolutePath().normalize();
        for (final Map.Entry<Path, String> shared : sharedDirectories.entrySet())
        {
            if (host.startsWith(shared.getKey()))
            {
                final String relative = shared.getKey().relativize(host).toString();
                return relative.isEmpty() ? shared.getValue() : shared.getValue() + "/" + relative;
            }
        }
        throw new IllegalStateException(host + " is not in a directory shared with " + description.get() +
            "; shared: " + sharedDirectories + " (use withSharedDirectory)");
    }

    /**
     * The end of the container's description: its IPC mode, and its user when set.
     *
     * @return the text.
     */
    String describe()
    {
        return "ipc=" + ipcDescription + (user == null ? "" : " user=" + user);
    }

    void applyTo(final CreateContainerCmd command)
    {
        if (command.getHostConfig() == null)
        {
            command.withHostConfig(new HostConfig());
        }
        final String mode = ipcMode.get();
        if (mode != null)
        {
            command.getHostConfig().withIpcMode(mode);
        }
        if (user != null)
        {
            command.withUser(user);
        }
        if (!sharedDirectories.isEmpty())
        {
            final List<Bind> binds = new ArrayList<>();
            if (command.getHostConfig().getBinds() != null)
            {
                binds.addAll(List.of(command.getHostConfig().getBinds()));
            }
            sharedDirectories.forEach((host, container) ->
                binds.add(new Bind(host.toString(), new Volume(container), AccessMode.rw)));
            command.getHostConfig().withBinds(binds);
        }
    }
}

package io.shmipc.tests.container;

import com.github.dockerjava.api.command.WaitContainerResultCallback;
import io.shmipc.examples.container.ContainerPeer;
import io.shmipc.examples.container.SharedMemoryHandshake;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A container that shares shm-ipc regions with the test JVM or with other containers, for tests of programs that
 * talk through shared memory across container boundaries.
 * <p>
 * How it shares:
 * <ul>
 * <li>{@link #withHostIpc()}: the host's IPC namespace, so {@code shm:} regions of the test JVM
 * ({@code /dev/shm}) are visible in the container ({@code docker run --ipc=host});</li>
 * <li>{@link #withShareableIpc()} on one container and {@link #withIpcOf(SharedMemoryContainer)} on others: one
 * private IPC namespace and {@code /dev/shm} for a group of containers ({@code --ipc=shareable},
 * {@code --ipc=container:<id>}; compose {@code ipc: "service:<name>"});</li>
 * <li>{@link #withSharedDirectory(Path, String)}: a host directory bind-mounted into the container, for file-backed
 * regions ({@link io.shmipc.RegionLocation#file(Path)}); the container may keep its own IPC namespace.</li>
 * </ul>
 * {@link #withShmSize(long)} sizes the container's own {@code /dev/shm} (Docker's default is 64 MiB), and
 * {@link #withHostUser()} runs it as the test's uid and gid, so that regions created with the default mode
 * {@code 0600} on one side can be opened on the other.
 * <p>
 * Before relying on sharing, prove it: the {@code verifySame...} methods run the "same memory?" handshake of
 * {@link SharedMemoryHandshake} (the container side is run with {@code docker exec}, so the image must hold the
 * shm-ipc jar, as the examples image does) and throw {@link SharedMemoryMismatchError} with both sides' reports
 * when the two do not see the same segment, within {@link #withHandshakeTimeout(Duration)}.
 * <p>
 * The container has no network ({@code --network none}: shared memory needs none), and its output is collected
 * line by line ({@link #output()}). It counts as started once it runs or has exited, so a short-lived command's
 * output and exit status can be checked ({@link #awaitExit(Duration)}).
 * <p>
 * The sharing settings are kept and applied by {@link ContainerSharing}, the handshakes run by
 * {@link ContainerHandshake}.
 */
public class SharedMemoryContainer extends GenericContainer<SharedMemoryContainer>
{
    /** Where the examples image keeps the shaded jar. */
    public static final String EXAMPLES_JAR_IN_IMAGE = "/opt/shm-ipc/shm-ipc.jar";
    /** The shm-ipc command that runs {@link ContainerPeer} under the examples image's entry point. */
    public static final String PEER_COMMAND = "container-peer";
    /** Default limit for each side of the handshake. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final ContainerOutput output = new ContainerOutput(this::describe, this::getLogs);
    private final ContainerSharing sharing = new ContainerSharing(this::describe);
    private String jarInImage = EXAMPLES_JAR_IN_IMAGE;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

    /**
     * A container of any image; the handshake needs the shm-ipc jar in it (see {@link #withJarInImage(String)}).
     *
     * @param image image name.
     */
    public SharedMemoryContainer(final String image)
    {
        super(DockerImageName.parse(image));
        withNetworkMode("none");
        withLogConsumer(output);
        withStartupCheckStrategy(new RunningOrExitedStartupCheck());
        withCreateContainerCmdModifier(sharing::applyTo);
    }

    /**
     * A container of the examples image ({@code docker/Dockerfile}), built on first use.
     *
     * @return the container, not started.
     */
    public static SharedMemoryContainer examples()
    {
        return new SharedMemoryContainer(DockerEnvironment.examplesImage());
    }

    /**
     * Run {@link ContainerPeer} with these arguments: the examples image's entry point is the {@code shm-ipc} command
     * line, whose {@code container-peer} command runs it.
     *
     * @param args the mode and its arguments, e.g. {@code "consume", "shm:demo", "1000", "--create"}.
     * @return this.
     */
    public SharedMemoryContainer withPeer(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(PEER_COMMAND);
        command.addAll(List.of(args));
        return withCommand(command.toArray(new String[0]));
    }

    /**
     * Share the host's IPC namespace and {@code /dev/shm} ({@code --ipc=host}).
     *
     * @return this.
     */
    public SharedMemoryContainer withHostIpc()
    {
        sharing.ipc("host");
        return this;
    }

    /**
     * Own an IPC namespace that other containers may join ({@code --ipc=shareable}).
     *
     * @return this.
     */
    public SharedMemoryContainer withShareableIpc()
    {
        sharing.ipc("shareable");
        return this;
    }

    /**
     * Join the IPC namespace of {@code owner} ({@code --ipc=container:<id>}), which must be started first with
     * {@link #withShareableIpc()}. The size of {@code /dev/shm} is then the owner's.
     *
     * @param owner the container whose namespace to join.
     * @return this.
     */
    public SharedMemoryContainer withIpcOf(final SharedMemoryContainer owner)
    {
        sharing.ipcOf(owner);
        return this;
    }

    /**
     * Size of this container's {@code /dev/shm} ({@code --shm-size}; Docker's default is 64 MiB). Meaningless with
     * {@link #withIpcOf} or {@link #withHostIpc}.
     *
     * @param bytes the size.
     * @return this.
     */
    public SharedMemoryContainer withShmSize(final long bytes)
    {
        return withSharedMemorySize(bytes);
    }

    /**
     * Bind-mount a host directory read-write, for file-backed regions shared with the host or other containers.
     *
     * @param hostDirectory the directory on the host.
     * @param containerPath where the container sees it.
     * @return this.
     */
    public SharedMemoryContainer withSharedDirectory(final Path hostDirectory, final String containerPath)
    {
        sharing.shareDirectory(hostDirectory, containerPath);
        return this;
    }

    /**
     * Run as the uid and gid of this JVM ({@code docker run --user uid:gid}), so regions created on either side with
     * owner-only permissions open on the other.
     *
     * @return this.
     */
    public SharedMemoryContainer withHostUser()
    {
        sharing.runAsHostUser();
        return this;
    }

    /**
     * Where the image keeps the shm-ipc jar, for the handshake ({@value #EXAMPLES_JAR_IN_IMAGE} by default).
     *
     * @param path the jar's path in the image.
     * @return this.
     */
    public SharedMemoryContainer withJarInImage(final String path)
    {
        jarInImage = path;
        return this;
    }

    /**
     * How long each side of a handshake waits before reporting that the memory is not shared.
     *
     * @param timeout the limit.
     * @return this.
     */
    public SharedMemoryContainer withHandshakeTimeout(final Duration timeout)
    {
        handshakeTimeout = timeout;
        return this;
    }

    /**
     * Everything the container printed, line by line.
     *
     * @return the collected output.
     */
    public ContainerOutput output()
    {
        return output;
    }

    /**
     * Wait for the container to print a line starting with {@code prefix}.
     *
     * @param prefix  the start of the line.
     * @param timeout longest wait.
     * @return the line.
     */
    public String awaitLine(final String prefix, final Duration timeout)
    {
        return output.awaitStartingWith(prefix, timeout);
    }

    /**
     * Wait for the container's main process to exit.
     *
     * @param timeout longest wait.
     * @return its exit status.
     * @throws AssertionError with the output when it is still running after {@code timeout}.
     */
    public int awaitExit(final Duration timeout)
    {
        try
        {
            return getDockerClient().waitContainerCmd(getContainerId()).exec(new WaitContainerResultCallback())
                .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError(describe() + " did not exit within " + timeout + ": " + ex + "; output:\n" +
                output.text(), ex);
        }
    }

    /**
     * Kill the container's processes at once ({@code docker kill}, SIGKILL): no shutdown hook, no unmapping, no
     * release but the kernel's.
     */
    public void kill()
    {
        getDockerClient().killContainerCmd(getContainerId()).exec();
    }

    /**
     * Run {@link ContainerPeer} in the running container ({@code docker exec}), in a new JVM.
     *
     * @param args the mode and its arguments.
     * @return exit status and output.
     */
    public Container.ExecResult execPeer(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("java", "--add-exports",
            "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-cp", jarInImage, ContainerPeer.class.getName()));
        command.addAll(List.of(args));
        try
        {
            return execInContainer(command.toArray(new String[0]));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot exec in " + describe(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running in " + describe(), ex);
        }
    }

    /**
     * Where a path under one of the shared directories appears inside this container.
     *
     * @param hostPath a path on the host.
     * @return the path in the container.
     * @throws IllegalStateException when no shared directory holds it.
     */
    public String containerPath(final Path hostPath)
    {
        return sharing.containerPath(hostPath);
    }

    /**
     * Prove that this container and the test JVM see the same POSIX shared memory ({@code /dev/shm}), for example
     * after {@link #withHostIpc()}.
     *
     * @return this.
     * @throws SharedMemoryMismatchError when they do not.
     */
    public SharedMemoryContainer verifySameShmAsHost()
    {
        final String location = "shm:" + SharedMemoryHandshake.randomName();
        ContainerHandshake.verify(this, "/dev/shm of the test JVM", ContainerHandshake.host(location),
            ContainerHandshake.container(this, location), handshakeTimeout);
        return this;
    }

    /**
     * Prove that this container and the test JVM see the same files in {@code hostDirectory} (bind-mounted with
     * {@link #withSharedDirectory(Path, String)}), and can map them.
     *
     * @param hostDirectory the shared directory, as the host sees it.
     * @return this.
     * @throws SharedMemoryMismatchError when they do not.
     */
    public SharedMemoryContainer verifySameDirectoryAsHost(final Path hostDirectory)
    {
        final Path hostFile = hostDirectory.toAbsolutePath().normalize().resolve(SharedMemoryHandshake.randomName());
        ContainerHandshake.verify(this, "directory " + hostDirectory, ContainerHandshake.host(hostFile.toString()),
            ContainerHandshake.container(this, containerPath(hostFile)), handshakeTimeout);
        return this;
    }

    /**
     * Prove that this container and {@code other} see the same POSIX shared memory, for example after
     * {@link #withIpcOf}. This container initiates, the other responds.
     *
     * @param other the other container, running.
     * @return this.
     * @throws SharedMemoryMismatchError when they do not.
     */
    public SharedMemoryContainer verifySameShmAs(final SharedMemoryContainer other)
    {
        final String location = "shm:" + SharedMemoryHandshake.randomName();
        ContainerHandshake.verify(this, "/dev/shm of " + other.describe(), ContainerHandshake.container(this, location),
            ContainerHandshake.container(other, location), handshakeTimeout);
        return this;
    }

    /**
     * Prove that this container and {@code other} see the same files in {@code hostDirectory}, which both must
     * bind-mount.
     *
     * @param other         the other container, running.
     * @param hostDirectory the shared directory, as the host sees it.
     * @return this.
     * @throws SharedMemoryMismatchError when they do not.
     */
    public SharedMemoryContainer verifySameDirectoryAs(final SharedMemoryContainer other, final Path hostDirectory)
    {
        final Path hostFile = hostDirectory.toAbsolutePath().normalize().resolve(SharedMemoryHandshake.randomName());
        ContainerHandshake.verify(this, "directory " + hostDirectory + " with " + other.describe(),
            ContainerHandshake.container(this, containerPath(hostFile)),
            ContainerHandshake.container(other, other.containerPath(hostFile)), handshakeTimeout);
        return this;
    }

    /**
     * How messages name this container: short id, command and IPC mode.
     *
     * @return the description.
     */
    public String describe()
    {
        final String id = getContainerId();
        final String[] command = getCommandParts();
        return "container " + (id == null ? "(not started)" : id.substring(0, Math.min(12, id.length()))) +
            " [" + (command == null ? "" : String.join(" ", command)) + "] " + sharing.describe();
    }
}

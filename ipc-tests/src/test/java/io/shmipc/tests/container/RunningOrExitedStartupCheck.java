package io.shmipc.tests.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerStatus;

/**
 * Started once the container runs, or has already exited (its output and status are then checked by the test).
 */
final class RunningOrExitedStartupCheck extends StartupCheckStrategy
{
    @Override
    public StartupStatus checkStartupState(final DockerClient dockerClient, final String containerId)
    {
        final InspectContainerResponse.ContainerState state = getCurrentState(dockerClient, containerId);
        return Boolean.TRUE.equals(state.getRunning()) || DockerStatus.isContainerStopped(state) ?
            StartupStatus.SUCCESSFUL : StartupStatus.NOT_YET_KNOWN;
    }
}

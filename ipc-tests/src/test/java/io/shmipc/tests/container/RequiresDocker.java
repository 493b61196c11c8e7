package io.shmipc.tests.container;

import io.shmipc.tests.support.Prerequisites;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips each container test, with the reason, where Docker (or something else it needs) is missing; but when the
 * environment variable {@code CI} is {@code true}, fails it instead, so that a CI machine without an engine cannot
 * pass by skipping. What is missing is found once per JVM ({@link DockerEnvironment#problem()}).
 */
public final class RequiresDocker implements BeforeEachCallback
{
    @Override
    public void beforeEach(final ExtensionContext context)
    {
        Prerequisites.require("container tests", DockerEnvironment.problem().orElse(null));
    }
}

package io.shmipc.tests.support;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes {@code @TempDir} directories under the module's {@code target/} directory rather than
 * {@code java.io.tmpdir}, which is a tmpfs on many machines: tests of file-backed regions "on disk" use it.
 */
public final class DiskTempDirFactory implements TempDirFactory
{
    @Override
    public Path createTempDirectory(final AnnotatedElementContext elementContext,
        final ExtensionContext extensionContext) throws IOException
    {
        final Path parent = Path.of("target", "disk-regions").toAbsolutePath();
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "region-");
    }
}

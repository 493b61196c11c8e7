package io.shmipc.examples.cli;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Permission bits as {@link PosixFilePermission}s, for display.
 */
final class PosixModes
{
    private static final PosixFilePermission[] BY_BIT =
    {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private PosixModes()
    {
    }

    static Set<PosixFilePermission> of(final int mode)
    {
        final Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BY_BIT.length; bit++)
        {
            if ((mode & (1 << bit)) != 0)
            {
                permissions.add(BY_BIT[bit]);
            }
        }
        return permissions;
    }
}

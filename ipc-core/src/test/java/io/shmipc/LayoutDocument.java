package io.shmipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code docs/layout.md} states in a form a program can check: the offset of every field drawn in a byte diagram
 * (the number at the end of a diagram row; a row split in two holds two 4-byte fields), every row of a table whose
 * first column is {@code offset}, every row of the table whose first column is {@code constant}, and every row of the
 * table whose first column is {@code item} (the worked example). Fields are keyed {@code "Section / Field"}, the
 * section being the nearest heading above.
 */
final class LayoutDocument
{
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");
    private static final Pattern DIAGRAM_ROW = Pattern.compile("^\\s*\\|(.*)\\|\\s+(\\d+)\\s*$");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|(.*)\\|\\s*$");
    private static final Pattern SEPARATOR_ROW = Pattern.compile("^\\|[-|\\s:]+\\|\\s*$");
    private static final Pattern TITLE_VERSION = Pattern.compile("^# .*\\(version (\\d+)\\.(\\d+)\\)\\s*$");
    private static final Pattern VERSION_ITEM =
        Pattern.compile("^- \\*\\*Version\\*\\* (\\d+)\\.(\\d+): Major (\\d+), Minor (\\d+)\\..*$");

    private final Map<String, Long> offsets = new LinkedHashMap<>();
    private final Map<String, String> constants = new LinkedHashMap<>();
    private final Map<String, String> example = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> versions = new ArrayList<>();

    private LayoutDocument()
    {
    }

    /**
     * Find {@code docs/layout.md} from the working directory or one of its parents (a module directory).
     *
     * @return the path.
     */
    static Path locate()
    {
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent())
        {
            final Path candidate = directory.resolve("docs").resolve("layout.md");
            if (Files.isRegularFile(candidate))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/layout.md not found above " + Path.of("").toAbsolutePath());
    }

    static LayoutDocument parse(final Path path)
    {
        try
        {
            return parse(Files.readAllLines(path));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + path, ex);
        }
    }

    static LayoutDocument parse(final List<String> lines)
    {
        final LayoutDocument document = new LayoutDocument();
        String section = "";
        String table = null;
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            final String where = "docs/layout.md:" + (i + 1) + ": ";
            if (line.trim().startsWith("```"))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence)
            {
                document.diagramRow(section, line, where);
                continue;
            }
            document.version(line);
            final Matcher heading = HEADING.matcher(line);
            if (heading.matches())
            {
                section = heading.group(1).replace("`", "").trim();
                table = null;
                continue;
            }
            final Matcher row = TABLE_ROW.matcher(line);
            if (!row.matches())
            {
                table = null;
                continue;
            }
            if (SEPARATOR_ROW.matcher(line).matches())
            {
                continue;
            }
            final String[] cells = cells(row.group(1));
            if (table == null)
            {
                table = cells[0].toLowerCase(java.util.Locale.ROOT);
                continue;
            }
            document.tableRow(table, section, cells, where);
        }
        return document;
    }

    /** Offsets by {@code "Section / Field"}, in document order. */
    Map<String, Long> offsets()
    {
        return offsets;
    }

    /** Values of the constants table by {@code "Class.NAME"}, as written. */
    Map<String, String> constants()
    {
        return constants;
    }

    /** The worked example's values by item. */
    Map<String, String> example()
    {
        return example;
    }

    /**
     * Every version the page states, as {@code major.minor}: the title's, and both forms of the header's Version
     * item ({@code **Version** 1.2: Major 1, Minor 2}).
     */
    List<String> versions()
    {
        return versions;
    }

    /** Rows that look like layout but cannot be read. */
    List<String> problems()
    {
        return problems;
    }

    private void version(final String line)
    {
        final Matcher title = TITLE_VERSION.matcher(line);
        if (title.matches())
        {
            versions.add(title.group(1) + "." + title.group(2));
        }
        final Matcher item = VERSION_ITEM.matcher(line);
        if (item.matches())
        {
            versions.add(item.group(1) + "." + item.group(2));
            versions.add(item.group(3) + "." + item.group(4));
        }
    }

    private void diagramRow(final String section, final String line, final String where)
    {
        final Matcher row = DIAGRAM_ROW.matcher(line);
        if (!row.matches())
        {
            return;
        }
        final long offset = Long.parseLong(row.group(2));
        final String[] cells = cells(row.group(1));
        if (cells.length > 2)
        {
            problems.add(where + "a diagram row holds one field or two 4-byte fields: " + line.trim());
            return;
        }
        for (int i = 0; i < cells.length; i++)
        {
            put(section, fieldName(cells[i]), offset + 4L * i, where);
        }
    }

    private void tableRow(final String table, final String section, final String[] cells, final String where)
    {
        if (cells.length < 2)
        {
            problems.add(where + "a table row needs two cells");
            return;
        }
        switch (table)
        {
            case "offset":
                try
                {
                    put(section, cells[1], Long.parseLong(cells[0].replace("+", "")), where);
                }
                catch (final NumberFormatException ex)
                {
                    problems.add(where + "not an offset: " + cells[0]);
                }
                break;
            case "constant":
                constants.put(cells[0].replace("`", ""), cells[1]);
                break;
            case "item":
                example.put(cells[0], cells[1]);
                break;
            default:
                break;
        }
    }

    private void put(final String section, final String field, final long offset, final String where)
    {
        if (offsets.put(section + " / " + field, offset) != null)
        {
            problems.add(where + "field listed twice: " + section + " / " + field);
        }
    }

    /**
     * A diagram cell names its field first, then may say more after {@code (}, {@code :} or {@code ,}.
     */
    private static String fieldName(final String cell)
    {
        int end = cell.length();
        for (final char stop : new char[] {'(', ':', ','})
        {
            final int at = cell.indexOf(stop);
            if (at >= 0 && at < end)
            {
                end = at;
            }
        }
        return cell.substring(0, end).trim();
    }

    private static String[] cells(final String row)
    {
        final String[] cells = row.split("\\|", -1);
        for (int i = 0; i < cells.length; i++)
        {
            cells[i] = cells[i].trim();
        }
        return cells;
    }
}

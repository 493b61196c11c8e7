package io.shmipc.examples.cli;

import io.shmipc.examples.support.CommandRunner;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every example in the commands' help ({@code shm-ipc COMMAND --help}, the lines under "Examples:") is a command
 * line the tools accept as written: parsed, with every value converted, not run.
 */
class HelpExamplesTest
{
    private static final Pattern WORD = Pattern.compile("'([^']*)'|\"([^\"]*)\"|(\\S+)");

    @Test
    void everyExampleInTheHelpParses()
    {
        final ResourceBundle help = ResourceBundle.getBundle("io.shmipc.examples.cli.ShmIpcHelp");
        final List<String> examples = new ArrayList<>();
        for (final String key : help.keySet())
        {
            final String line = help.getString(key).trim();
            if (key.contains(".usage.footer.") && line.startsWith("shm-ipc "))
            {
                // Shell redirections and comments are not the command's.
                examples.add(line.replaceAll("\\s+#.*$", "").replaceAll("\\s+[<>|].*$", ""));
            }
        }
        assertTrue(examples.size() > 40, "examples found: " + examples);
        final List<String> refused = new ArrayList<>();
        for (final String example : examples)
        {
            try
            {
                CommandRunner.commandLine(new ShmIpcCommand()).parseArgs(words(example));
            }
            catch (final CommandLine.ParameterException ex)
            {
                refused.add(example + " -> " + ex.getMessage());
            }
        }
        if (!refused.isEmpty())
        {
            fail("examples the tools refuse:\n" + String.join("\n", refused));
        }
    }

    private static String[] words(final String example)
    {
        final List<String> words = new ArrayList<>();
        final Matcher matcher = WORD.matcher(example.substring("shm-ipc ".length()));
        while (matcher.find())
        {
            words.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2) != null ? matcher.group(2) :
                matcher.group(3));
        }
        return words.toArray(new String[0]);
    }
}

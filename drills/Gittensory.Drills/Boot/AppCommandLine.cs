using System.Text;

namespace Gittensory.Drills.Boot;

/// <summary>Splits an operator's command line (<c>node dist/server.mjs</c>) into program and arguments, as a POSIX shell would, without running a shell.</summary>
public static class AppCommandLine
{
    /// <summary>The words of <paramref name="commandLine"/>: split on white space; '...' is literal; "..." keeps spaces and honours \" and \\; \ escapes one character.</summary>
    public static IReadOnlyList<string> Split(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            switch (c)
            {
                case '\'':
                    inWord = true;
                    var close = commandLine.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new ArgumentException($"The command line has an unclosed ' at character {i + 1}: {commandLine}");
                    }

                    word.Append(commandLine, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    inWord = true;
                    for (i++; ; i++)
                    {
                        if (i >= commandLine.Length)
                        {
                            throw new ArgumentException($"The command line has an unclosed \" : {commandLine}");
                        }

                        if (commandLine[i] == '"')
                        {
                            break;
                        }

                        if (commandLine[i] == '\\' && i + 1 < commandLine.Length && commandLine[i + 1] is '"' or '\\')
                        {
                            i++;
                        }

                        word.Append(commandLine[i]);
                    }

                    break;
                case '\\' when i + 1 < commandLine.Length:
                    inWord = true;
                    word.Append(commandLine[++i]);
                    break;
                case var space when char.IsWhiteSpace(space):
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                default:
                    inWord = true;
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}

using System.CommandLine;
using System.Text.RegularExpressions;
using DataCenterTwin.Cli.Bench;
using DataCenterTwin.Cli.Commands;
using DataCenterTwin.Cli.Run;
using DataCenterTwin.Cli.Serve;

namespace DataCenterTwin.Cli;

/// <summary>The <c>dctwin</c> command: parses arguments, calls the libraries, prints.</summary>
public static class Program
{
    /// <summary>Exit code for success.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code for a failure during the run.</summary>
    public const int ExitFailure = 1;

    /// <summary>Exit code for invalid input (arguments, scenario files).</summary>
    public const int ExitInvalidInput = 2;

    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => Run(args, Console.Error);

    /// <summary>
    /// Parses and runs a command line. Whatever escapes a command ends here as one or two lines on
    /// <paramref name="error"/> (what failed, and where: the file or folder the message names) and
    /// exit code 1, never as a stack trace, unless <c>--verbose</c> asks for it.
    /// </summary>
    public static int Run(string[] args, TextWriter error)
    {
        var verbose = new Option<bool>("--verbose") { Description = "On a failure, print the full exception with its stack trace.", Recursive = true };
        var root = new RootCommand("DataCenterTwin: a discrete-event digital twin of an AI datacenter hall.") { verbose };
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(SizeCommand.Create());
        root.Subcommands.Add(SiloCommand.Create());
        root.Subcommands.Add(NewCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(Calibrate.CalibrateCommand.Create());
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine("error: " + ParseErrorText(e.Message));
            }

            return ExitInvalidInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error.WriteLine("error: " + Describe(ex));
            error.WriteLine(parse.GetValue(verbose) ? ex.ToString() : "(dctwin --verbose … shows the stack trace)");
            return ExitFailure;
        }
    }

    /// <summary>
    /// A command-line parse error as dctwin says the others: an option's value that is not of its
    /// type names the option, the value and what was expected, not the .NET type it was parsed as.
    /// </summary>
    internal static string ParseErrorText(string message)
    {
        var m = Regex.Match(message, "^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\\.$");
        if (!m.Success)
        {
            return message;
        }

        string type = m.Groups[3].Value;
        string expected = type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) ? "a number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "a value of type " + type;
        return $"{m.Groups[2].Value} {m.Groups[1].Value}: expected {expected}";
    }

    // The innermost message says what and where (the path, for file errors); the type says what kind.
    private static string Describe(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } || ex.InnerException is not null && ex is System.Reflection.TargetInvocationException or TypeInitializationException)
        {
            ex = ex.InnerException!;
        }

        string kind = ex switch
        {
            UnauthorizedAccessException => "permission denied",
            DirectoryNotFoundException => "folder not found",
            FileNotFoundException => "file not found",
            IOException => "input/output error",
            InvalidDataException or FormatException => "invalid data",
            _ => "internal error (" + ex.GetType().Name + ")",
        };
        return $"{kind}: {ex.Message.ReplaceLineEndings(" ")}";
    }
}

using System.CommandLine;
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
    public static int Main(string[] args)
    {
        var root = new RootCommand("DataCenterTwin: a discrete-event digital twin of an AI datacenter hall.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine(error.Message);
            }

            return ExitInvalidInput;
        }

        return parse.Invoke();
    }
}

using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Traces.Requests;

/// <summary>
/// The rows of a request trace as a reader parses them, whatever the file format: good rows kept
/// in order, bad ones counted with their place and problem, and the file refused or the rows
/// skipped at the end as the caller chose.
/// </summary>
internal sealed class TraceRows
{
    private const int MaxProblems = 100;
    private readonly List<long> _ticks = [];
    private readonly List<int> _prompt = [];
    private readonly List<int> _output = [];
    private readonly List<string> _problems = [];
    private int _skipped;

    /// <summary>The last good row's time (100 ns ticks), for the in-order check.</summary>
    public long LastTicks { get; private set; } = long.MinValue;

    /// <summary>Keeps a good row.</summary>
    public void Add(long ticks, int prompt, int output)
    {
        LastTicks = ticks;
        _ticks.Add(ticks);
        _prompt.Add(prompt);
        _output.Add(output);
    }

    /// <summary>Counts a malformed row; <paramref name="where"/> says which (<c>file:line</c>, <c>file: row n</c>).</summary>
    public void Skip(string where, string problem)
    {
        _skipped++;
        if (_problems.Count < MaxProblems)
        {
            _problems.Add($"{where}: {problem}");
        }
    }

    /// <summary>The trace, times as microsecond offsets from the first row.</summary>
    /// <exception cref="InvalidDataException">A malformed row under <see cref="MalformedRowPolicy.RefuseFile"/>, or no valid row.</exception>
    public TraceReadResult Finish(string name, MalformedRowPolicy policy)
    {
        if (_skipped > 0 && policy == MalformedRowPolicy.RefuseFile)
        {
            throw new InvalidDataException($"{name}: {_skipped} malformed row(s); the file is refused:\n" + string.Join('\n', _problems));
        }

        if (_ticks.Count == 0)
        {
            throw new InvalidDataException($"{name}: no valid rows");
        }

        long first = _ticks[0];
        var offsets = _ticks.Select(t => (t - first + 5) / 10).ToArray();
        return new TraceReadResult(new RequestTrace(offsets, [.. _prompt], [.. _output]), _skipped, _problems);
    }
}

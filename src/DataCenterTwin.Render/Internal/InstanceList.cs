using DataCenterTwin.Model.Topology;

namespace DataCenterTwin.Render.Internal;

/// <summary>Boxes of one kind as the box shader reads them: centre (3), size (3), colour (4) per instance.</summary>
internal sealed class InstanceList
{
    public const int Floats = 10;
    private float[] _data = new float[Floats * 16];

    public int Count { get; private set; }

    public ReadOnlySpan<float> Data => _data.AsSpan(0, Count * Floats);

    public void Clear() => Count = 0;

    public void Add(BoxM box, Rgb colour, float alpha = 1) =>
        Add(box.Centre.X, box.Centre.Y, box.Centre.Z, box.SizeXM, box.SizeYM, box.HeightM, colour, alpha);

    public void Add(double x, double y, double z, double sx, double sy, double sz, Rgb colour, float alpha = 1)
    {
        if ((Count + 1) * Floats > _data.Length)
        {
            Array.Resize(ref _data, _data.Length * 2);
        }

        var d = _data.AsSpan(Count * Floats, Floats);
        d[0] = (float)x;
        d[1] = (float)y;
        d[2] = (float)z;
        d[3] = (float)sx;
        d[4] = (float)sy;
        d[5] = (float)sz;
        d[6] = colour.R;
        d[7] = colour.G;
        d[8] = colour.B;
        d[9] = alpha;
        Count++;
    }

    /// <summary>A pipe run (axis-aligned in the topology) as a square box of its diameter.</summary>
    public void AddPipe(PipeLayout p, Rgb colour)
    {
        double d = p.DiameterM;
        double minX = Math.Min(p.From.X, p.To.X), maxX = Math.Max(p.From.X, p.To.X);
        double minY = Math.Min(p.From.Y, p.To.Y), maxY = Math.Max(p.From.Y, p.To.Y);
        double minZ = Math.Min(p.From.Z, p.To.Z), maxZ = Math.Max(p.From.Z, p.To.Z);
        Add((minX + maxX) / 2, (minY + maxY) / 2, minZ - (d / 2), (maxX - minX) + d, (maxY - minY) + d, (maxZ - minZ) + d, colour);
    }
}

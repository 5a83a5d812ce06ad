using System.Numerics;
using DataCenterTwin.Model.Topology;

namespace DataCenterTwin.Render;

/// <summary>A perspective camera: where the eye is, what it looks at, its vertical field of view.</summary>
/// <param name="Eye">Eye position, m.</param>
/// <param name="Target">The point at the centre of the image, m.</param>
/// <param name="FieldOfViewDeg">Vertical field of view, degrees.</param>
public sealed record Camera(PointM Eye, PointM Target, double FieldOfViewDeg = 45)
{
    /// <summary>Named cameras.</summary>
    public static readonly IReadOnlyList<string> Names = ["overview", "orbit", "aisle", "chiller-yard"];

    /// <summary>
    /// The camera named <paramref name="name"/> for <paramref name="topology"/> (null for an unknown
    /// name); <paramref name="orbitDeg"/> turns the orbit camera around the hall.
    /// </summary>
    public static Camera? Named(string name, HallTopology topology, double orbitDeg = 30, double aspect = 16.0 / 9)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var hall = topology.Hall;
        var yard = topology.Yard;
        double tallest = Math.Max(topology.Tower.Box.HeightM, topology.Racks.Max(r => r.Box.HeightM));
        switch (name)
        {
            case "overview":
                return Fit(hall.MinX, Math.Min(hall.MinY, yard.MinY), yard.MaxX, Math.Max(hall.MaxY, yard.MaxY), tallest, new Vector3(-0.05f, -1f, 0.85f), aspect);

            case "orbit":
            {
                double a = (orbitDeg - 90) * Math.PI / 180;
                return Fit(hall.MinX, hall.MinY, hall.MaxX, hall.MaxY, tallest, new Vector3((float)Math.Cos(a), (float)Math.Sin(a), 0.9f), aspect);
            }

            case "aisle":
            {
                // Down the middle cold aisle, at eye height, from the west end.
                var colds = topology.Aisles.Where(a => a.Kind == AisleKind.Cold).ToList();
                var aisle = colds[colds.Count / 2];
                double y = (aisle.MinY + aisle.MaxY) / 2;
                return new Camera(new PointM(aisle.MinX - 1.5, y, 1.7), new PointM(aisle.MaxX, y, 1.0), 60);
            }

            case "chiller-yard":
                return Fit(yard.MinX, yard.MinY, yard.MaxX, yard.MaxY, tallest, new Vector3(-0.4f, -1f, 0.75f), aspect);

            default:
                return null;
        }
    }

    /// <summary>
    /// Looks at the box (<paramref name="minX"/>, <paramref name="minY"/>, 0)–(<paramref name="maxX"/>,
    /// <paramref name="maxY"/>, <paramref name="height"/>) from <paramref name="direction"/>, as close as keeps all of it in the
    /// middle of the image (the top and bottom strips stay free for the overlay).
    /// </summary>
    private static Camera Fit(double minX, double minY, double maxX, double maxY, double height, Vector3 direction, double aspect)
    {
        var target = new PointM((minX + maxX) / 2, (minY + maxY) / 2, height * 0.3);
        var dir = Vector3.Normalize(direction);
        PointM[] corners = [.. from x in new[] { minX, maxX } from y in new[] { minY, maxY } from z in new[] { 0.0, height } select new PointM(x, y, z)];
        double span = Math.Max(Math.Max(maxX - minX, maxY - minY), 1);
        double lo = span * 0.1, hi = span * 20;
        for (int i = 0; i < 40; i++)
        {
            double d = (lo + hi) / 2;
            var camera = new Camera(new PointM(target.X + (dir.X * d), target.Y + (dir.Y * d), target.Z + (dir.Z * d)), target);
            var m = camera.ViewProjection(aspect);
            bool fits = corners.All(c =>
            {
                var clip = Vector4.Transform(new Vector4((float)c.X, (float)c.Y, (float)c.Z, 1), m);
                return clip.W > 0 && Math.Abs(clip.X / clip.W) <= 0.96 && Math.Abs(clip.Y / clip.W) <= 0.6;
            });
            (lo, hi) = fits ? (lo, d) : (d, hi);
        }

        return new Camera(new PointM(target.X + (dir.X * hi), target.Y + (dir.Y * hi), target.Z + (dir.Z * hi)), target);
    }

    /// <summary>World to clip space for an image of <paramref name="aspect"/> (width over height); row vectors, as System.Numerics.</summary>
    public Matrix4x4 ViewProjection(double aspect)
    {
        var eye = new Vector3((float)Eye.X, (float)Eye.Y, (float)Eye.Z);
        var target = new Vector3((float)Target.X, (float)Target.Y, (float)Target.Z);
        var forward = Vector3.Normalize(target - eye);
        var up = Math.Abs(forward.Z) > 0.999f ? Vector3.UnitY : Vector3.UnitZ;
        double distance = Vector3.Distance(eye, target);
        float near = (float)Math.Max(0.05, distance / 500), far = (float)Math.Max(200, distance * 6);
        var view = Matrix4x4.CreateLookAt(eye, target, up);
        var projection = Matrix4x4.CreatePerspectiveFieldOfView((float)(FieldOfViewDeg * Math.PI / 180), (float)aspect, near, far);
        return view * projection;
    }

    /// <summary>Where <paramref name="p"/> lands in an image of the given size: pixels from the left and from the top; null when behind the eye.</summary>
    public (double X, double Y)? Project(PointM p, int width, int height)
    {
        var clip = Vector4.Transform(new Vector4((float)p.X, (float)p.Y, (float)p.Z, 1), ViewProjection((double)width / height));
        if (clip.W <= 0)
        {
            return null;
        }

        return ((clip.X / clip.W * 0.5 + 0.5) * width, (0.5 - (clip.Y / clip.W * 0.5)) * height);
    }

    /// <summary>Reads <c>x,y,z:tx,ty,tz</c> (eye and target in metres); null when it is not that.</summary>
    public static Camera? Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || Point(parts[0]) is not { } eye || Point(parts[1]) is not { } target || eye == target)
        {
            return null;
        }

        return new Camera(eye, target);

        static PointM? Point(string s)
        {
            var v = s.Split(',');
            if (v.Length != 3)
            {
                return null;
            }

            var n = new double[3];
            for (int i = 0; i < 3; i++)
            {
                if (!double.TryParse(v[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out n[i]) || !double.IsFinite(n[i]))
                {
                    return null;
                }
            }

            return new PointM(n[0], n[1], n[2]);
        }
    }
}

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
    public static Camera? Named(string name, HallTopology topology, double orbitDeg = 30)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var hall = topology.Hall;
        var yard = topology.Yard;
        switch (name)
        {
            case "overview":
            {
                double minX = hall.MinX, maxX = yard.MaxX, minY = Math.Min(hall.MinY, yard.MinY), maxY = Math.Max(hall.MaxY, yard.MaxY);
                double span = Math.Max(maxX - minX, (maxY - minY) * 1.6);
                var centre = new PointM((minX + maxX) / 2, (minY + maxY) / 2, 0);
                return new Camera(new PointM(centre.X - (0.05 * span), centre.Y - (0.75 * span), 0.55 * span), centre with { Y = centre.Y + (0.04 * span) });
            }

            case "orbit":
            {
                double span = Math.Max(hall.MaxX - hall.MinX, hall.MaxY - hall.MinY);
                var centre = new PointM((hall.MinX + hall.MaxX) / 2, (hall.MinY + hall.MaxY) / 2, 0);
                double a = (orbitDeg - 90) * Math.PI / 180;
                double r = 0.95 * span;
                return new Camera(new PointM(centre.X + (r * Math.Cos(a)), centre.Y + (r * Math.Sin(a)), 0.6 * span), centre);
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
            {
                double span = Math.Max(yard.MaxX - yard.MinX, yard.MaxY - yard.MinY);
                var centre = new PointM((yard.MinX + yard.MaxX) / 2, (yard.MinY + yard.MaxY) / 2, 1.5);
                return new Camera(new PointM(centre.X - (0.35 * span), centre.Y - (0.9 * span), 0.55 * span), centre);
            }

            default:
                return null;
        }
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

using DataCenterTwin.Model.Topology;

namespace DataCenterTwin.Render.Internal;

/// <summary>
/// Turns the topology and a state into boxes, one list per kind of draw call. The static kinds
/// (floor, aisles, walls, CRAHs) are filled once; racks, equipment and pipes every frame, from the state.
/// </summary>
internal sealed class SceneBuilder
{
    private static readonly Rgb HallFloor = new(0.78f, 0.80f, 0.82f), YardGround = new(0.50f, 0.53f, 0.47f);
    private static readonly Rgb ColdAisle = new(0.62f, 0.74f, 0.92f), HotAisle = new(0.92f, 0.70f, 0.62f), Wall = new(0.62f, 0.62f, 0.66f);
    private static readonly Rgb CduBody = new(0.30f, 0.62f, 0.62f), CrahBody = new(0.86f, 0.87f, 0.90f), TowerBody = new(0.70f, 0.72f, 0.74f);
    private static readonly Rgb Containment = new(0.75f, 0.85f, 0.95f), LoadBar = new(0.95f, 0.95f, 0.95f), Stack = new(0.25f, 0.25f, 0.27f);

    private readonly HallTopology _t;

    public SceneBuilder(HallTopology topology)
    {
        _t = topology;
        BuildStatic();
    }

    public InstanceList Floor { get; } = new();

    public InstanceList Static { get; } = new();

    public InstanceList Racks { get; } = new();

    public InstanceList Equipment { get; } = new();

    public InstanceList Pipes { get; } = new();

    public InstanceList Translucent { get; } = new();

    private void BuildStatic()
    {
        foreach (var room in _t.Rooms)
        {
            Floor.Add((room.MinX + room.MaxX) / 2, (room.MinY + room.MaxY) / 2, -0.05, room.MaxX - room.MinX, room.MaxY - room.MinY, 0.05,
                room.Outdoor ? YardGround : HallFloor);
        }

        foreach (var a in _t.Aisles)
        {
            Static.Add((a.MinX + a.MaxX) / 2, (a.MinY + a.MaxY) / 2, 0, a.MaxX - a.MinX, a.MaxY - a.MinY, 0.01, a.Kind == AisleKind.Cold ? ColdAisle : HotAisle);
        }

        // Low walls around the hall, so its outline reads without hiding the inside.
        var h = _t.Hall;
        const double T = 0.2, Height = 0.6;
        Static.Add((h.MinX + h.MaxX) / 2, h.MinY, 0, h.MaxX - h.MinX, T, Height, Wall);
        Static.Add((h.MinX + h.MaxX) / 2, h.MaxY, 0, h.MaxX - h.MinX, T, Height, Wall);
        Static.Add(h.MinX, (h.MinY + h.MaxY) / 2, 0, T, h.MaxY - h.MinY, Height, Wall);
        Static.Add(h.MaxX, (h.MinY + h.MaxY) / 2, 0, T, h.MaxY - h.MinY, Height, Wall);
        foreach (var c in _t.Crahs)
        {
            Static.Add(c.Box, CrahBody);
        }

        // Containment: a roof over each contained aisle and doors at its ends.
        foreach (var a in _t.Aisles.Where(a => a.Contained))
        {
            double cx = (a.MinX + a.MaxX) / 2, cy = (a.MinY + a.MaxY) / 2, w = a.MaxY - a.MinY;
            Translucent.Add(cx, cy, a.HeightM, a.MaxX - a.MinX, w, 0.03, Containment, 0.45f);
            Translucent.Add(a.MinX, cy, 0, 0.04, w, a.HeightM, Containment, 0.45f);
            Translucent.Add(a.MaxX, cy, 0, 0.04, w, a.HeightM, Containment, 0.45f);
        }
    }

    public void Update(HallViewState state, ColorBy by)
    {
        if (state.Racks.Count != _t.Racks.Count || state.Chillers.Count != _t.Chillers.Count || state.Cdus.Count != _t.Cdus.Count)
        {
            throw new RenderException($"the state has {state.Racks.Count} racks, {state.Chillers.Count} chillers and {state.Cdus.Count} CDUs; "
                + $"the topology {_t.Racks.Count}, {_t.Chillers.Count} and {_t.Cdus.Count}");
        }

        Racks.Clear();
        for (int i = 0; i < _t.Racks.Count; i++)
        {
            var r = _t.Racks[i];
            // A sliver narrower than the enclosure, so neighbouring racks read as separate boxes.
            Racks.Add(r.Box with { SizeXM = r.Box.SizeXM * 0.92 }, ColourScale.Rack(state.Racks[i], r.DesignPowerW, by));
        }

        Equipment.Clear();
        foreach (var c in _t.Cdus)
        {
            Equipment.Add(c.Box, CduBody);
        }

        foreach (var ch in _t.Chillers)
        {
            var view = state.Chillers[ch.Index];
            var colour = ColourScale.Mode(view.Mode);
            Equipment.Add(ch.Box, colour);
            if (ch.EngineBox is { } engine)
            {
                // The engine skid: the gas colour when the engine runs, dark when it does not; an exhaust stack.
                bool engineRuns = view.Mode is ChillerMode.Gas or ChillerMode.Split;
                Equipment.Add(engine, engineRuns ? ColourScale.Mode(ChillerMode.Gas) : new Rgb(0.35f, 0.30f, 0.25f));
                Equipment.Add(engine.Centre.X + (engine.SizeXM * 0.3), engine.Centre.Y, engine.HeightM, 0.3, 0.3, 1.6, Stack);
            }

            // Load: a bar along the top of the package, as long as the load is a share of capacity.
            double load = Math.Clamp(view.LoadFraction, 0, 1);
            if (load > 0)
            {
                double len = ch.Box.SizeXM * load;
                Equipment.Add(ch.Box.Centre.X - (ch.Box.SizeXM / 2) + (len / 2), ch.Box.Centre.Y, ch.Box.HeightM, len, ch.Box.SizeYM * 0.35, 0.15, LoadBar);
            }
        }

        var tower = _t.Tower;
        Equipment.Add(tower.Box, TowerBody);
        for (int k = 0; k < tower.Cells; k++)
        {
            double x = tower.Box.Centre.X - (tower.Box.SizeXM / 2) + ((k + 0.5) * tower.Box.SizeXM / tower.Cells);
            Equipment.Add(x, tower.Box.Centre.Y, tower.Box.HeightM, tower.Box.SizeXM / tower.Cells * 0.7, tower.Box.SizeYM * 0.7, 0.5, new Rgb(0.45f, 0.47f, 0.50f));
        }

        Pipes.Clear();
        foreach (var p in _t.Pipes)
        {
            double c = p.Kind switch
            {
                PipeKind.SecondarySupply => state.Cdus[p.Cdu].SupplyC,
                PipeKind.SecondaryReturn => state.Cdus[p.Cdu].ReturnC,
                PipeKind.FacilitySupply => state.FacilitySupplyC,
                _ => state.FacilityReturnC,
            };
            Pipes.AddPipe(p, ColourScale.CoolantC(c));
        }
    }
}

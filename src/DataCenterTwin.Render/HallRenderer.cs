using System.Numerics;
using DataCenterTwin.Model.Topology;
using DataCenterTwin.Render.Internal;
using Silk.NET.OpenGL;

namespace DataCenterTwin.Render;

/// <summary>
/// Draws a hall offscreen with OpenGL 3.3 core on an EGL context (Mesa's llvmpipe where there is no
/// GPU): instanced boxes, one draw call per kind, into a 4× multisampled framebuffer, resolved and
/// read back; the overlay is drawn on the image afterwards. Not thread-safe: one renderer, one thread.
/// </summary>
public sealed unsafe class HallRenderer : IDisposable
{
    /// <summary>Smallest image side, px.</summary>
    public const int MinSize = 16;

    /// <summary>Largest image side, px (8K; every OpenGL 3.3 implementation allows at least this renderbuffer size on llvmpipe and GPUs alike).</summary>
    public const int MaxSize = 8192;

    private const int Samples = 4;

    // A unit box: x, y in [-0.5, 0.5], z in [0, 1]; position and normal per vertex, four vertices a face.
    private static readonly float[] CubeVertices = Cube();

    private readonly EglContext _egl;
    private readonly GL _gl;
    private readonly HallTopology _topology;
    private readonly SceneBuilder _scene;
    private readonly ShaderProgram _box, _floor;
    private readonly uint _cubeVbo, _cubeEbo;
    private readonly Dictionary<InstanceList, (uint Vao, uint Vbo)> _kinds = [];
    private readonly Overlay _overlay;
    private uint _msFbo, _msColour, _msDepth, _fbo, _colour;
    private int _width, _height;

    /// <summary>Creates the context and uploads the static scene of <paramref name="topology"/>.</summary>
    /// <exception cref="RenderException">No EGL or OpenGL 3.3 here; the message says what to install.</exception>
    public HallRenderer(HallTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        _topology = topology;
        _egl = EglContext.Create();
        _gl = _egl.Gl;
        string assets = RenderAssets.Directory();
        string Shader(string f) => File.ReadAllText(Path.Combine(assets, "shaders", f));
        _box = new ShaderProgram(_gl, Shader("box.vert"), Shader("box.frag"));
        _floor = new ShaderProgram(_gl, Shader("box.vert"), Shader("floor.frag"));
        _overlay = new Overlay(Path.Combine(assets, "fonts"));
        _scene = new SceneBuilder(topology);

        _cubeVbo = _gl.GenBuffer();
        _gl.BindBuffer(BufferTargetARB.ArrayBuffer, _cubeVbo);
        _gl.BufferData<float>(BufferTargetARB.ArrayBuffer, CubeVertices, BufferUsageARB.StaticDraw);
        var indices = new uint[36];
        for (uint f = 0; f < 6; f++)
        {
            uint b = f * 4;
            ReadOnlySpan<uint> quad = [b, b + 1, b + 2, b, b + 2, b + 3];
            quad.CopyTo(indices.AsSpan((int)f * 6));
        }

        _cubeEbo = _gl.GenBuffer();
        _gl.BindBuffer(BufferTargetARB.ElementArrayBuffer, _cubeEbo);
        _gl.BufferData<uint>(BufferTargetARB.ElementArrayBuffer, indices, BufferUsageARB.StaticDraw);
        foreach (var kind in new[] { _scene.Floor, _scene.Static, _scene.Racks, _scene.Equipment, _scene.Pipes, _scene.Translucent })
        {
            _kinds[kind] = CreateKind();
        }

        Upload(_scene.Floor);
        Upload(_scene.Static);
        Upload(_scene.Translucent);
        DrawCallsPerFrame = _kinds.Count;
    }

    /// <summary>The OpenGL renderer (<c>llvmpipe …</c> or the GPU's name).</summary>
    public string Device => _egl.Renderer;

    /// <summary>Instanced draw calls in a frame: one per kind, whatever the number of racks.</summary>
    public int DrawCallsPerFrame { get; }

    /// <summary>The topology drawn.</summary>
    public HallTopology Topology => _topology;

    /// <summary>Draws one frame of <paramref name="state"/>; <paramref name="title"/> heads the overlay, none when null.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side outside <see cref="MinSize"/>–<see cref="MaxSize"/>.</exception>
    public HallFrame Render(HallViewState state, Camera camera, ColorBy colorBy, int width, int height, string? title = "")
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, MinSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, MinSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSize);
        EnsureTargets(width, height);
        _scene.Update(state, colorBy);
        Upload(_scene.Racks);
        Upload(_scene.Equipment);
        Upload(_scene.Pipes);

        _gl.BindFramebuffer(FramebufferTarget.Framebuffer, _msFbo);
        _gl.Viewport(0, 0, (uint)width, (uint)height);
        _gl.ClearColor(0.11f, 0.13f, 0.16f, 1f);
        _gl.Clear(ClearBufferMask.ColorBufferBit | ClearBufferMask.DepthBufferBit);
        _gl.Enable(EnableCap.DepthTest);
        _gl.Enable(EnableCap.Multisample);
        _gl.Disable(EnableCap.CullFace);
        _gl.Disable(EnableCap.Blend);

        var viewProj = camera.ViewProjection((double)width / height);
        _gl.UseProgram(_floor.Handle);
        SetViewProj(_floor, viewProj);
        _gl.Uniform1(_floor.Uniform("uTileM"), 0.6f);
        Draw(_scene.Floor);

        _gl.UseProgram(_box.Handle);
        SetViewProj(_box, viewProj);
        _gl.Uniform3(_box.Uniform("uLightDirection"), 0.35f, -0.55f, 0.85f);
        _gl.Uniform1(_box.Uniform("uAmbient"), 0.55f);
        Draw(_scene.Static);
        Draw(_scene.Racks);
        Draw(_scene.Equipment);
        Draw(_scene.Pipes);

        _gl.Enable(EnableCap.Blend);
        _gl.BlendFunc(BlendingFactor.SrcAlpha, BlendingFactor.OneMinusSrcAlpha);
        _gl.DepthMask(false);
        Draw(_scene.Translucent);
        _gl.DepthMask(true);
        _gl.Disable(EnableCap.Blend);

        // Resolve the samples, read back bottom-up, flip to top-down.
        _gl.BindFramebuffer(FramebufferTarget.ReadFramebuffer, _msFbo);
        _gl.BindFramebuffer(FramebufferTarget.DrawFramebuffer, _fbo);
        _gl.BlitFramebuffer(0, 0, width, height, 0, 0, width, height, ClearBufferMask.ColorBufferBit, BlitFramebufferFilter.Nearest);
        _gl.BindFramebuffer(FramebufferTarget.ReadFramebuffer, _fbo);
        var bottomUp = new byte[width * height * 4];
        _gl.PixelStore(PixelStoreParameter.PackAlignment, 1);
        fixed (byte* p = bottomUp)
        {
            _gl.ReadPixels(0, 0, (uint)width, (uint)height, PixelFormat.Rgba, PixelType.UnsignedByte, p);
        }

        var error = _gl.GetError();
        if (error != GLEnum.NoError)
        {
            throw new RenderException($"OpenGL error {error} while drawing a {width}×{height} frame");
        }

        var rgba = new byte[bottomUp.Length];
        int row = width * 4;
        for (int y = 0; y < height; y++)
        {
            System.Buffer.BlockCopy(bottomUp, (height - 1 - y) * row, rgba, y * row, row);
        }

        var frame = new HallFrame(width, height, rgba);
        if (title is not null)
        {
            _overlay.Draw(frame, state, colorBy, title);
        }

        return frame;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        DeleteTargets();
        foreach (var (vao, vbo) in _kinds.Values)
        {
            _gl.DeleteVertexArray(vao);
            _gl.DeleteBuffer(vbo);
        }

        _gl.DeleteBuffer(_cubeVbo);
        _gl.DeleteBuffer(_cubeEbo);
        _box.Dispose();
        _floor.Dispose();
        _overlay.Dispose();
        _egl.Dispose();
    }

    private void SetViewProj(ShaderProgram program, Matrix4x4 m)
    {
        // System.Numerics matrices are row-major for row vectors; read column-major by GLSL they are
        // the transpose, which is the column-vector matrix GLSL multiplies by: no transpose needed.
        _gl.UniformMatrix4(program.Uniform("uViewProj"), 1, false, &m.M11);
    }

    private (uint, uint) CreateKind()
    {
        uint vao = _gl.GenVertexArray();
        _gl.BindVertexArray(vao);
        _gl.BindBuffer(BufferTargetARB.ArrayBuffer, _cubeVbo);
        _gl.BindBuffer(BufferTargetARB.ElementArrayBuffer, _cubeEbo);
        _gl.EnableVertexAttribArray(0);
        _gl.VertexAttribPointer(0, 3, VertexAttribPointerType.Float, false, 6 * sizeof(float), (void*)0);
        _gl.EnableVertexAttribArray(1);
        _gl.VertexAttribPointer(1, 3, VertexAttribPointerType.Float, false, 6 * sizeof(float), (void*)(3 * sizeof(float)));
        uint vbo = _gl.GenBuffer();
        _gl.BindBuffer(BufferTargetARB.ArrayBuffer, vbo);
        uint stride = InstanceList.Floats * sizeof(float);
        (uint Index, int Size, int Offset)[] attributes = [(2, 3, 0), (3, 3, 3), (4, 4, 6)];
        foreach (var (index, size, offset) in attributes)
        {
            _gl.EnableVertexAttribArray(index);
            _gl.VertexAttribPointer(index, size, VertexAttribPointerType.Float, false, stride, (void*)(offset * sizeof(float)));
            _gl.VertexAttribDivisor(index, 1);
        }

        _gl.BindVertexArray(0);
        return (vao, vbo);
    }

    private void Upload(InstanceList list)
    {
        var (_, vbo) = _kinds[list];
        _gl.BindBuffer(BufferTargetARB.ArrayBuffer, vbo);
        _gl.BufferData(BufferTargetARB.ArrayBuffer, list.Data, BufferUsageARB.DynamicDraw);
    }

    private void Draw(InstanceList list)
    {
        if (list.Count == 0)
        {
            return;
        }

        _gl.BindVertexArray(_kinds[list].Vao);
        _gl.DrawElementsInstanced(PrimitiveType.Triangles, 36, DrawElementsType.UnsignedInt, (void*)0, (uint)list.Count);
        _gl.BindVertexArray(0);
    }

    private void EnsureTargets(int width, int height)
    {
        if (width == _width && height == _height)
        {
            return;
        }

        DeleteTargets();
        _msFbo = _gl.GenFramebuffer();
        _gl.BindFramebuffer(FramebufferTarget.Framebuffer, _msFbo);
        _msColour = _gl.GenRenderbuffer();
        _gl.BindRenderbuffer(RenderbufferTarget.Renderbuffer, _msColour);
        _gl.RenderbufferStorageMultisample(RenderbufferTarget.Renderbuffer, Samples, InternalFormat.Rgba8, (uint)width, (uint)height);
        _gl.FramebufferRenderbuffer(FramebufferTarget.Framebuffer, FramebufferAttachment.ColorAttachment0, RenderbufferTarget.Renderbuffer, _msColour);
        _msDepth = _gl.GenRenderbuffer();
        _gl.BindRenderbuffer(RenderbufferTarget.Renderbuffer, _msDepth);
        _gl.RenderbufferStorageMultisample(RenderbufferTarget.Renderbuffer, Samples, InternalFormat.DepthComponent24, (uint)width, (uint)height);
        _gl.FramebufferRenderbuffer(FramebufferTarget.Framebuffer, FramebufferAttachment.DepthAttachment, RenderbufferTarget.Renderbuffer, _msDepth);
        Check("multisampled");

        _fbo = _gl.GenFramebuffer();
        _gl.BindFramebuffer(FramebufferTarget.Framebuffer, _fbo);
        _colour = _gl.GenRenderbuffer();
        _gl.BindRenderbuffer(RenderbufferTarget.Renderbuffer, _colour);
        _gl.RenderbufferStorage(RenderbufferTarget.Renderbuffer, InternalFormat.Rgba8, (uint)width, (uint)height);
        _gl.FramebufferRenderbuffer(FramebufferTarget.Framebuffer, FramebufferAttachment.ColorAttachment0, RenderbufferTarget.Renderbuffer, _colour);
        Check("resolve");
        _width = width;
        _height = height;

        void Check(string which)
        {
            var status = _gl.CheckFramebufferStatus(FramebufferTarget.Framebuffer);
            if (status != GLEnum.FramebufferComplete)
            {
                throw new RenderException($"the {which} framebuffer of {width}×{height} is not complete ({status})");
            }
        }
    }

    private void DeleteTargets()
    {
        if (_width == 0)
        {
            return;
        }

        _gl.DeleteFramebuffer(_msFbo);
        _gl.DeleteFramebuffer(_fbo);
        _gl.DeleteRenderbuffer(_msColour);
        _gl.DeleteRenderbuffer(_msDepth);
        _gl.DeleteRenderbuffer(_colour);
        _width = _height = 0;
    }

    private static float[] Cube()
    {
        // Each face: its normal and four corners, counter-clockwise seen from outside.
        (Vector3 N, Vector3[] C)[] faces =
        [
            (new(1, 0, 0), [new(0.5f, -0.5f, 0), new(0.5f, 0.5f, 0), new(0.5f, 0.5f, 1), new(0.5f, -0.5f, 1)]),
            (new(-1, 0, 0), [new(-0.5f, 0.5f, 0), new(-0.5f, -0.5f, 0), new(-0.5f, -0.5f, 1), new(-0.5f, 0.5f, 1)]),
            (new(0, 1, 0), [new(0.5f, 0.5f, 0), new(-0.5f, 0.5f, 0), new(-0.5f, 0.5f, 1), new(0.5f, 0.5f, 1)]),
            (new(0, -1, 0), [new(-0.5f, -0.5f, 0), new(0.5f, -0.5f, 0), new(0.5f, -0.5f, 1), new(-0.5f, -0.5f, 1)]),
            (new(0, 0, 1), [new(-0.5f, -0.5f, 1), new(0.5f, -0.5f, 1), new(0.5f, 0.5f, 1), new(-0.5f, 0.5f, 1)]),
            (new(0, 0, -1), [new(-0.5f, 0.5f, 0), new(0.5f, 0.5f, 0), new(0.5f, -0.5f, 0), new(-0.5f, -0.5f, 0)]),
        ];
        var v = new List<float>(24 * 6);
        foreach (var (n, corners) in faces)
        {
            foreach (var c in corners)
            {
                v.AddRange([c.X, c.Y, c.Z, n.X, n.Y, n.Z]);
            }
        }

        return [.. v];
    }
}

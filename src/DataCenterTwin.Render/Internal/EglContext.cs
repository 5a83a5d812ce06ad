using System.Runtime.InteropServices;
using Silk.NET.OpenGL;

namespace DataCenterTwin.Render.Internal;

/// <summary>
/// An OpenGL 3.3 core context with no window: Mesa's surfaceless platform where it exists (no
/// display server at all), else the default display with a 1×1 pbuffer. Drawing goes to our own
/// framebuffers, never to the surface.
/// </summary>
internal sealed class EglContext : IDisposable
{
    private readonly nint _display, _context, _surface;

    private EglContext(nint display, nint context, nint surface, GL gl)
    {
        _display = display;
        _context = context;
        _surface = surface;
        Gl = gl;
    }

    /// <summary>The bound OpenGL functions.</summary>
    public GL Gl { get; }

    /// <summary>Renderer string (<c>llvmpipe (LLVM 15.0.6, 256 bits)</c> or the GPU's name).</summary>
    public string Renderer => Gl.GetStringS(StringName.Renderer) ?? "?";

    /// <summary>Creates the context and makes it current on this thread.</summary>
    /// <exception cref="RenderException">No EGL library, display, config or context: the message says which and what to install.</exception>
    public static EglContext Create()
    {
        nint display;
        try
        {
            display = Egl.GetPlatformDisplay(Egl.PlatformSurfacelessMesa, 0, 0);
            if (display == 0 || Egl.Initialize(display, out _, out _) == 0)
            {
                display = Egl.GetDisplay(0);
                if (display == 0 || Egl.Initialize(display, out _, out _) == 0)
                {
                    throw new RenderException($"EGL has no usable display (error 0x{Egl.GetError():X}); install Mesa's EGL: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri");
                }
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new RenderException($"libEGL.so.1 is not installed ({ex.Message}); install it with: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri", ex);
        }

        if (Egl.BindApi(Egl.OpenGlApi) == 0)
        {
            throw new RenderException($"EGL cannot bind desktop OpenGL (error 0x{Egl.GetError():X})");
        }

        int[] attribs = [Egl.SurfaceType, Egl.PbufferBit, Egl.RenderableType, Egl.OpenGlBit, Egl.RedSize, 8, Egl.GreenSize, 8, Egl.BlueSize, 8,
            Egl.AlphaSize, 8, Egl.DepthSize, 24, Egl.None];
        var configs = new nint[1];
        if (Egl.ChooseConfig(display, attribs, configs, 1, out int count) == 0 || count == 0)
        {
            // The surfaceless platform offers configs without pbuffer support; any OpenGL config will do.
            attribs = [Egl.RenderableType, Egl.OpenGlBit, Egl.None];
            if (Egl.ChooseConfig(display, attribs, configs, 1, out count) == 0 || count == 0)
            {
                throw new RenderException($"EGL has no OpenGL config (error 0x{Egl.GetError():X})");
            }
        }

        int[] contextAttribs = [Egl.ContextMajorVersion, 3, Egl.ContextMinorVersion, 3, Egl.ContextOpenGlProfileMask, Egl.ContextOpenGlCoreProfileBit, Egl.None];
        nint context = Egl.CreateContext(display, configs[0], 0, contextAttribs);
        if (context == 0)
        {
            throw new RenderException($"EGL cannot create an OpenGL 3.3 core context (error 0x{Egl.GetError():X})");
        }

        nint surface = 0;
        if (Egl.MakeCurrent(display, 0, 0, context) == 0)
        {
            surface = Egl.CreatePbufferSurface(display, configs[0], [Egl.Width, 1, Egl.Height, 1, Egl.None]);
            if (surface == 0 || Egl.MakeCurrent(display, surface, surface, context) == 0)
            {
                throw new RenderException($"EGL cannot make the context current (error 0x{Egl.GetError():X})");
            }
        }

        var gl = GL.GetApi(name => Egl.GetProcAddress(name));
        return new EglContext(display, context, surface, gl);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Failures here leave nothing to undo: the display stays for the next context (EGL displays
        // are per process, so it is not terminated under another renderer's feet).
        _ = Egl.MakeCurrent(_display, 0, 0, 0);
        if (_surface != 0)
        {
            _ = Egl.DestroySurface(_display, _surface);
        }

        _ = Egl.DestroyContext(_display, _context);
        Gl.Dispose();
    }

    /// <summary>The EGL vendor and version, for logs.</summary>
    public string Describe() =>
        $"{Marshal.PtrToStringUTF8(Egl.QueryString(_display, Egl.Vendor))} EGL {Marshal.PtrToStringUTF8(Egl.QueryString(_display, Egl.Version))}";
}

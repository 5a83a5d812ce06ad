using System.Runtime.InteropServices;

namespace DataCenterTwin.Render.Internal;

/// <summary>The few EGL 1.5 entry points an offscreen OpenGL context needs (libEGL, Khronos EGL 1.5 spec).</summary>
internal static partial class Egl
{
    private const string Lib = "libEGL.so.1";

    public const int Success = 0x3000;
    public const int None = 0x3038;
    public const int SurfaceType = 0x3033;
    public const int PbufferBit = 0x0001;
    public const int RenderableType = 0x3040;
    public const int OpenGlBit = 0x0008;
    public const int RedSize = 0x3024, GreenSize = 0x3023, BlueSize = 0x3022, AlphaSize = 0x3021, DepthSize = 0x3025;
    public const int Width = 0x3057, Height = 0x3056;
    public const int OpenGlApi = 0x30A2;
    public const int ContextMajorVersion = 0x3098, ContextMinorVersion = 0x30FB;
    public const int ContextOpenGlProfileMask = 0x30FD, ContextOpenGlCoreProfileBit = 0x0001;
    public const int PlatformSurfacelessMesa = 0x31DD;
    public const int Vendor = 0x3053, Version = 0x3054, Extensions = 0x3055;

    [LibraryImport(Lib, EntryPoint = "eglGetPlatformDisplay")]
    public static partial nint GetPlatformDisplay(int platform, nint nativeDisplay, nint attribs);

    [LibraryImport(Lib, EntryPoint = "eglGetDisplay")]
    public static partial nint GetDisplay(nint nativeDisplay);

    [LibraryImport(Lib, EntryPoint = "eglInitialize")]
    [return: MarshalAs(UnmanagedType.U4)]
    public static partial uint Initialize(nint display, out int major, out int minor);

    [LibraryImport(Lib, EntryPoint = "eglBindAPI")]
    public static partial uint BindApi(int api);

    [LibraryImport(Lib, EntryPoint = "eglChooseConfig")]
    public static partial uint ChooseConfig(nint display, int[] attribs, nint[] configs, int size, out int count);

    [LibraryImport(Lib, EntryPoint = "eglCreateContext")]
    public static partial nint CreateContext(nint display, nint config, nint share, int[] attribs);

    [LibraryImport(Lib, EntryPoint = "eglCreatePbufferSurface")]
    public static partial nint CreatePbufferSurface(nint display, nint config, int[] attribs);

    [LibraryImport(Lib, EntryPoint = "eglMakeCurrent")]
    public static partial uint MakeCurrent(nint display, nint draw, nint read, nint context);

    [LibraryImport(Lib, EntryPoint = "eglDestroyContext")]
    public static partial uint DestroyContext(nint display, nint context);

    [LibraryImport(Lib, EntryPoint = "eglDestroySurface")]
    public static partial uint DestroySurface(nint display, nint surface);

    [LibraryImport(Lib, EntryPoint = "eglGetError")]
    public static partial int GetError();

    [LibraryImport(Lib, EntryPoint = "eglQueryString")]
    public static partial nint QueryString(nint display, int name);

    [LibraryImport(Lib, EntryPoint = "eglGetProcAddress", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GetProcAddress(string name);
}

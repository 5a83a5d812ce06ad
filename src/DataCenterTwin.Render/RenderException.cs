namespace DataCenterTwin.Render;

/// <summary>The renderer cannot run here (no EGL, no OpenGL 3.3) or was given something it cannot draw.</summary>
public sealed class RenderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RenderException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public RenderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public RenderException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

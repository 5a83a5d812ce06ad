using Silk.NET.OpenGL;

namespace DataCenterTwin.Render.Internal;

/// <summary>A linked vertex and fragment shader pair, from files in assets/shaders.</summary>
internal sealed class ShaderProgram : IDisposable
{
    private readonly GL _gl;

    public ShaderProgram(GL gl, string vertexSource, string fragmentSource)
    {
        _gl = gl;
        uint vs = Compile(ShaderType.VertexShader, vertexSource);
        uint fs = Compile(ShaderType.FragmentShader, fragmentSource);
        Handle = gl.CreateProgram();
        gl.AttachShader(Handle, vs);
        gl.AttachShader(Handle, fs);
        gl.LinkProgram(Handle);
        gl.GetProgram(Handle, ProgramPropertyARB.LinkStatus, out int ok);
        gl.DeleteShader(vs);
        gl.DeleteShader(fs);
        if (ok == 0)
        {
            throw new RenderException($"shader program does not link: {gl.GetProgramInfoLog(Handle)}");
        }
    }

    public uint Handle { get; }

    public int Uniform(string name) => _gl.GetUniformLocation(Handle, name);

    public void Dispose() => _gl.DeleteProgram(Handle);

    private uint Compile(ShaderType type, string source)
    {
        uint s = _gl.CreateShader(type);
        _gl.ShaderSource(s, source);
        _gl.CompileShader(s);
        _gl.GetShader(s, ShaderParameterName.CompileStatus, out int ok);
        if (ok == 0)
        {
            throw new RenderException($"{type} does not compile: {_gl.GetShaderInfoLog(s)}");
        }

        return s;
    }
}

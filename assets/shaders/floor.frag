#version 330 core
// The floor with a grid of 0.6 m raised-floor tiles (a heavier line every 3 m), drawn from the
// world position so it needs no line geometry and stays sharp at any distance.
in vec3 vNormal;
in vec4 vColour;
in vec3 vWorld;

uniform float uTileM;

out vec4 fragColour;

float gridLine(vec2 p, float spacing, float width)
{
    vec2 q = p / spacing;
    vec2 d = abs(fract(q - 0.5) - 0.5) / fwidth(q);
    return 1.0 - min(min(d.x, d.y) / width, 1.0);
}

void main()
{
    float fine = gridLine(vWorld.xy, uTileM, 1.0) * 0.35;
    float coarse = gridLine(vWorld.xy, uTileM * 5.0, 1.2) * 0.6;
    float line = max(fine, coarse);
    vec3 colour = mix(vColour.rgb, vec3(0.25, 0.27, 0.30), line);
    fragColour = vec4(colour, 1.0);
}

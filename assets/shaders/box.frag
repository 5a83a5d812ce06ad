#version 330 core
// Lambert light from one sun-like direction plus ambient, so the faces of a box read apart.
in vec3 vNormal;
in vec4 vColour;
in vec3 vWorld;

uniform vec3 uLightDirection;
uniform float uAmbient;

out vec4 fragColour;

void main()
{
    float diffuse = max(dot(normalize(vNormal), normalize(uLightDirection)), 0.0);
    float light = uAmbient + (1.0 - uAmbient) * diffuse;
    fragColour = vec4(vColour.rgb * light, vColour.a);
}

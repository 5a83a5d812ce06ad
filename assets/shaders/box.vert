#version 330 core
// One unit box (x, y in [-0.5, 0.5], z in [0, 1]) drawn once per instance: moved to the instance's
// footprint centre and scaled to its size, so a whole kind of object is one instanced draw call.
layout(location = 0) in vec3 aPosition;
layout(location = 1) in vec3 aNormal;
layout(location = 2) in vec3 iCentre;
layout(location = 3) in vec3 iSize;
layout(location = 4) in vec4 iColour;

uniform mat4 uViewProj;

out vec3 vNormal;
out vec4 vColour;
out vec3 vWorld;

void main()
{
    vec3 world = iCentre + aPosition * iSize;
    vWorld = world;
    vNormal = aNormal;
    vColour = iColour;
    gl_Position = uViewProj * vec4(world, 1.0);
}

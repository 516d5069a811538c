"""How colours look to red-green colour-blind eyes, and how far apart two colours are.

Simulation: Machado, Oliveira and Fernandes (2009), "A physiologically-based model for
simulation of color vision deficiency", IEEE TVCG 15(6); the matrices for severity 1.0 (full
protanopia, deuteranopia), applied to linear sRGB. Distance: CIEDE2000 (CIE 142-2001) in
CIELAB under D65, written after Sharma, Wu and Dalal (2005), whose test pairs check it.
"""
import numpy as np

MACHADO_2009 = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
# Linear sRGB to CIE XYZ (D65).
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])


def linear_rgb(color):
    """"#rrggbb" → linear sRGB, each channel in [0, 1]."""
    srgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def srgb(linear):
    """Linear sRGB → gamma-encoded sRGB in [0, 1] (clipped)."""
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def simulate(color, deficiency):
    """Linear sRGB of ``color`` as seen with ``deficiency`` ("protanopia", "deuteranopia" or None)."""
    linear = linear_rgb(color)
    return linear if deficiency is None else np.clip(MACHADO_2009[deficiency] @ linear, 0.0, 1.0)


def lab(linear):
    """CIELAB (D65) of a linear sRGB colour."""
    xyz = SRGB_TO_XYZ @ linear / (SRGB_TO_XYZ @ np.ones(3))
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2):
    """ΔE00 between two CIELAB colours (kL = kC = kH = 1)."""
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    C_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    G = 0.5 * (1 - np.sqrt(C_mean**7 / (C_mean**7 + 25**7)))
    a1, a2 = (1 + G) * a1, (1 + G) * a2
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if C1 * C2 == 0 else (h2 - h1 + 180) % 360 - 180
    dL, dC, dH = L2 - L1, C2 - C1, 2 * np.sqrt(C1 * C2) * np.sin(np.radians(dh / 2))
    L_mean, C_mean = (L1 + L2) / 2, (C1 + C2) / 2
    if C1 * C2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    T = (1 - 0.17 * np.cos(np.radians(h_mean - 30)) + 0.24 * np.cos(np.radians(2 * h_mean))
         + 0.32 * np.cos(np.radians(3 * h_mean + 6)) - 0.20 * np.cos(np.radians(4 * h_mean - 63)))
    rotation = 30 * np.exp(-(((h_mean - 275) / 25) ** 2))
    R_C = 2 * np.sqrt(C_mean**7 / (C_mean**7 + 25**7))
    S_L = 1 + 0.015 * (L_mean - 50) ** 2 / np.sqrt(20 + (L_mean - 50) ** 2)
    S_C, S_H = 1 + 0.045 * C_mean, 1 + 0.015 * C_mean * T
    R_T = -np.sin(np.radians(2 * rotation)) * R_C
    return float(np.sqrt((dL / S_L) ** 2 + (dC / S_C) ** 2 + (dH / S_H) ** 2 + R_T * (dC / S_C) * (dH / S_H)))


def distance(color1, color2, deficiency=None):
    """ΔE00 between two "#rrggbb" colours as seen with ``deficiency`` (None: normal vision)."""
    return ciede2000(lab(simulate(color1, deficiency)), lab(simulate(color2, deficiency)))

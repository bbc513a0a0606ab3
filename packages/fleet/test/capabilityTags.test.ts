import { describe, expect, it } from 'vitest';

import {
  capabilityTags,
  TAG_CATEGORIES,
  TAG_TAXONOMY,
  tagCategory,
} from '../src/index.ts';
import type { HardwareInfo, TagCategory } from '../src/index.ts';

const JETSON: HardwareInfo = {
  type: 'jetson-orin-nano',
  gpu: 'NVIDIA Orin (1024 CUDA cores)',
  hasGpu: true,
  ramMb: 8192,
  storageType: 'nvme',
  cameras: ['csi:imx219'],
  sensors: [],
};

const RPI: HardwareInfo = {
  type: 'raspberry-pi-4',
  gpu: null,
  hasGpu: false,
  ramMb: 3796,
  storageType: 'sdcard',
  cameras: [],
  sensors: ['imu'],
};

const BARE: HardwareInfo = { type: 'raspberry-pi-4', hasGpu: false };

function tags(change: Partial<HardwareInfo>, base = JETSON): string[] {
  return capabilityTags({ ...base, ...change });
}

describe('capabilityTags', () => {
  const cases: [string, Partial<HardwareInfo>, HardwareInfo, string[]][] = [
    [
      'the spec Jetson with a CSI camera',
      {},
      JETSON,
      [
        'gpu-capable',
        'gpu-jetson-orin',
        'memory-8gb',
        'storage-ssd',
        'camera-csi',
      ],
    ],
    [
      'a Raspberry Pi with an IMU and no camera',
      {},
      RPI,
      ['gpu-none', 'memory-4gb', 'storage-sdcard', 'camera-none', 'sensor-imu'],
    ],
    [
      'an Orin GPU on another type',
      { type: 'custom-board' },
      JETSON,
      [
        'gpu-capable',
        'gpu-jetson-orin',
        'memory-8gb',
        'storage-ssd',
        'camera-csi',
      ],
    ],
    [
      'a Xavier',
      { type: 'jetson-xavier-nx', gpu: 'NVIDIA Volta', cameras: null },
      JETSON,
      ['gpu-capable', 'gpu-jetson-xavier', 'memory-8gb', 'storage-ssd'],
    ],
    [
      'a discrete NVIDIA GPU',
      { type: 'x86-server', gpu: 'NVIDIA RTX A2000', cameras: null },
      JETSON,
      ['gpu-capable', 'gpu-nvidia', 'memory-8gb', 'storage-ssd'],
    ],
    [
      'an unknown GPU, capable without a kind',
      { type: 'board', gpu: 'VideoCore VI', cameras: null },
      JETSON,
      ['gpu-capable', 'memory-8gb', 'storage-ssd'],
    ],
    [
      'a GPU string overruled by hasGpu false',
      { hasGpu: false, cameras: null },
      JETSON,
      ['gpu-none', 'memory-8gb', 'storage-ssd'],
    ],
    [
      'a GPU description when hasGpu is missing',
      { hasGpu: null, type: 'x86', gpu: 'Intel Iris Xe', cameras: null },
      JETSON,
      ['gpu-capable', 'gpu-intel', 'memory-8gb', 'storage-ssd'],
    ],
    [
      'a Jetson type when hasGpu and gpu are missing',
      { hasGpu: undefined, gpu: undefined, cameras: null },
      JETSON,
      ['gpu-capable', 'gpu-jetson-orin', 'memory-8gb', 'storage-ssd'],
    ],
    [
      'a gpu of "none"',
      { hasGpu: undefined, type: 'x86', gpu: 'none', cameras: null },
      JETSON,
      ['gpu-none', 'memory-8gb', 'storage-ssd'],
    ],
    [
      'USB and CSI cameras, LiDAR and IMU',
      { cameras: ['USB:/dev/video0', 'csi'], sensors: ['LiDAR', 'imu'] },
      JETSON,
      [
        'gpu-capable',
        'gpu-jetson-orin',
        'memory-8gb',
        'storage-ssd',
        'camera-usb',
        'camera-csi',
        'sensor-imu',
        'sensor-lidar',
      ],
    ],
    [
      'unknown storage, RAM and sensors',
      {
        storageType: 'tape',
        ramMb: null,
        sensors: ['gps'],
        cameras: ['weird'],
      },
      RPI,
      ['gpu-none'],
    ],
    [
      'eMMC storage',
      { storageType: 'eMMC', cameras: null, sensors: null },
      RPI,
      ['gpu-none', 'memory-4gb', 'storage-emmc'],
    ],
  ];

  it.each(cases)('derives the tags of %s', (_name, change, base, expected) => {
    expect(tags(change, base)).toEqual(expected);
  });

  const ram: [number | null, string | null][] = [
    [512, 'memory-2gb'],
    [2048, 'memory-2gb'],
    [3686, 'memory-2gb'],
    [3687, 'memory-4gb'],
    [4096, 'memory-4gb'],
    [6144, 'memory-4gb'],
    [7372, 'memory-4gb'],
    [7373, 'memory-8gb'],
    [7620, 'memory-8gb'],
    [12288, 'memory-8gb'],
    [14746, 'memory-16gb'],
    [65536, 'memory-16gb'],
    [0, null],
    [null, null],
  ];

  it.each(ram)('puts %s MB of RAM in tier %s', (ramMb, tier) => {
    const derived = tags({ ramMb }, BARE);
    expect(derived).toEqual(tier ? ['gpu-none', tier] : ['gpu-none']);
  });

  const storage: [string, string][] = [
    ['SSD', 'storage-ssd'],
    ['NVMe', 'storage-ssd'],
    ['sd-card', 'storage-sdcard'],
    ['microSD', 'storage-sdcard'],
    ['emmc', 'storage-emmc'],
    ['HDD', 'storage-hdd'],
  ];

  it.each(storage)('tags storage %s as %s', (storageType, tag) => {
    const derived = tags({ storageType }, BARE);
    expect(derived).toEqual(['gpu-none', tag]);
  });
});

describe('TAG_TAXONOMY', () => {
  it('holds every tag capabilityTags can derive', () => {
    const derivable = [
      ...cases().flatMap((hardware) => capabilityTags(hardware)),
    ].filter((name) => !Object.hasOwn(TAG_TAXONOMY, name));
    expect(derivable).toEqual([]);
  });

  it('counts the tags of each category', () => {
    const counts = Object.fromEntries(
      TAG_CATEGORIES.map((category) => [
        category,
        Object.values(TAG_TAXONOMY).filter((t) => t.category === category)
          .length,
      ]),
    );
    expect(counts).toEqual({
      hardware: 22,
      environment: 4,
      location: 6,
      role: 5,
      fleet: 7,
    });
  });
});

describe('tagCategory', () => {
  const cases: [string, TagCategory | null][] = [
    ['gpu-jetson-orin', 'hardware'],
    ['production', 'environment'],
    ['site-factory-a', 'location'],
    ['gateway', 'role'],
    ['single-point-failure', 'fleet'],
    ['toString', null],
    ['made-up', null],
  ];

  it.each(cases)('files %s under %s', (name, category) => {
    expect(tagCategory(name)).toBe(category);
  });
});

function cases(): HardwareInfo[] {
  const gpus = ['Orin', 'Xavier', 'Tegra', 'NVIDIA', 'AMD', 'Intel', ''];
  return gpus.flatMap((gpu) =>
    [1024, 4096, 8192, 16384].map((ramMb) => ({
      type: 'board',
      gpu,
      ramMb,
      storageType: 'ssd',
      cameras: ['usb', 'csi', 'ip'],
      sensors: ['imu', 'lidar'],
    })),
  );
}

// The face (liveness) check. The identity platform decides; the BFF asks it
// (POST /api/face-checks). On H5 the camera step is simulated; in the
// mini-program the host's face API captures the face first.
import Taro from '@tarojs/taro';
import { api } from '../services/api';
import { randomKey } from '../services/session';
import type { FaceCheckResult } from '../services/types';

type HostFaceApi = { startFacialRecognitionVerify?: (options: Record<string, unknown>) => Promise<unknown> };

export async function checkFace(): Promise<FaceCheckResult> {
  if (process.env.TARO_ENV !== 'h5') {
    const host = Taro as unknown as HostFaceApi;
    if (host.startFacialRecognitionVerify) await host.startFacialRecognitionVerify({ checkAliveType: 2 });
  }
  // One key per attempt: a retry of this call is the same attempt.
  return api.faceCheck(randomKey());
}

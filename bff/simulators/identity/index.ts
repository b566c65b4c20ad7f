// The unified identity platform of "我的宁夏" (统一身份认证 + 数据共享), simulated:
// the sign-in page and one-time codes, real-name data with the certified
// photo, face checks (and the host face SDK's result tokens), the data-sharing
// look-up for window clerks, and staff sign-in. Citizens never give us a
// password; staff do, here.
import {
  IDENTITY_CODE_EXCHANGE_REQUEST,
  IDENTITY_ERRORS,
  IDENTITY_FACE_CHECK_QUERY_REQUEST,
  IDENTITY_FACE_CHECK_REPLY,
  IDENTITY_FACE_CHECK_REQUEST,
  IDENTITY_FACE_VERIFY_RESULT_REPLY,
  IDENTITY_FACE_VERIFY_RESULT_REQUEST,
  IDENTITY_LOGIN_CODE_REPLY,
  IDENTITY_LOGIN_CODE_REQUEST,
  IDENTITY_PATHS,
  IDENTITY_PEOPLE_QUERY_REQUEST,
  IDENTITY_PERSON_REPLY,
  IDENTITY_STAFF_SIGN_IN_REPLY,
  IDENTITY_STAFF_SIGN_IN_REQUEST,
  type IdentityFaceCheckRequest,
  type IdentityFaceVerifyResultRequest,
  type IdentityLoginCodeRequest,
  type IdentityPeopleQueryRequest,
} from '@flexins/shared';
import type { SimulatorDefinition } from '../common/types';
import { findPerson } from '../roster';
import { createFaceCheck, createFaceVerifyResult, getFaceCheck } from './face-checks';
import { createLoginCode, exchangeCode } from './login-codes';
import { COLLECTIONS, identityModels } from './models';
import { addPerson, queryPerson, seedPeople } from './people';
import { signInPages } from './sign-in-page';
import { seedStaff, signInStaff } from './staff-sign-in';

export const identitySimulator: SimulatorDefinition = {
  name: 'identity',
  title: '我的宁夏 · 统一身份认证平台（模拟）',
  errors: IDENTITY_ERRORS,
  collections: Object.values(COLLECTIONS),
  pages: signInPages,
  routes: [
    {
      method: 'POST',
      path: IDENTITY_PATHS.loginCodes,
      operationId: 'createLoginCode',
      summary: '为名册人员签发一次性登录凭证（模拟小程序宿主的登录接口）',
      write: true,
      request: IDENTITY_LOGIN_CODE_REQUEST,
      reply: IDENTITY_LOGIN_CODE_REPLY,
      errors: ['PERSON_NOT_FOUND'],
      personOf: (input: IdentityLoginCodeRequest) => findPerson(input.personKey)?.idNumber,
      handle: createLoginCode,
    },
    {
      method: 'POST',
      path: IDENTITY_PATHS.codeExchanges,
      operationId: 'exchangeLoginCode',
      summary: '用一次性登录凭证换取实名信息（含证件照）',
      write: true,
      request: IDENTITY_CODE_EXCHANGE_REQUEST,
      reply: IDENTITY_PERSON_REPLY,
      errors: ['CODE_INVALID'],
      handle: exchangeCode,
    },
    {
      method: 'POST',
      path: IDENTITY_PATHS.faceChecks,
      operationId: 'createFaceCheck',
      summary: '人脸核验（与公安部门留存照片比对；带宿主人脸核验结果凭证时核对该凭证）',
      write: true,
      request: IDENTITY_FACE_CHECK_REQUEST,
      reply: IDENTITY_FACE_CHECK_REPLY,
      errors: ['PERSON_NOT_FOUND', 'FACE_RESULT_INVALID'],
      personOf: (input: IdentityFaceCheckRequest) => input.idNumber,
      handle: createFaceCheck,
    },
    {
      method: 'POST',
      path: IDENTITY_PATHS.faceVerifyResults,
      operationId: 'createFaceVerifyResult',
      summary: '为名册人员签发人脸核验结果凭证（模拟小程序宿主的人脸核验接口）',
      write: true,
      request: IDENTITY_FACE_VERIFY_RESULT_REQUEST,
      reply: IDENTITY_FACE_VERIFY_RESULT_REPLY,
      errors: ['PERSON_NOT_FOUND'],
      personOf: (input: IdentityFaceVerifyResultRequest) => findPerson(input.personKey)?.idNumber,
      handle: createFaceVerifyResult,
    },
    {
      method: 'POST',
      path: IDENTITY_PATHS.faceCheckQueries,
      operationId: 'getFaceCheck',
      summary: '查询一次人脸核验的结果',
      write: false,
      request: IDENTITY_FACE_CHECK_QUERY_REQUEST,
      reply: IDENTITY_FACE_CHECK_REPLY,
      errors: ['FACE_CHECK_NOT_FOUND'],
      handle: getFaceCheck,
    },
    {
      method: 'POST',
      path: IDENTITY_PATHS.peopleQueries,
      operationId: 'queryPerson',
      summary: '按身份证号查询实名信息（数据共享，窗口读取身份证时使用）',
      write: false,
      request: IDENTITY_PEOPLE_QUERY_REQUEST,
      reply: IDENTITY_PERSON_REPLY,
      errors: ['PERSON_NOT_FOUND'],
      personOf: (input: IdentityPeopleQueryRequest) => input.idNumber,
      handle: queryPerson,
    },
    {
      method: 'POST',
      path: IDENTITY_PATHS.staffSignIns,
      operationId: 'signInStaff',
      summary: '工作人员用户名密码登录',
      write: true,
      request: IDENTITY_STAFF_SIGN_IN_REQUEST,
      reply: IDENTITY_STAFF_SIGN_IN_REPLY,
      errors: ['STAFF_CREDENTIALS_INVALID', 'STAFF_LOCKED'],
      handle: signInStaff,
    },
  ],

  async setup(deps) {
    const models = identityModels(deps.db);
    await Promise.all(Object.values(models).map((m) => m.init()));
    await seedPeople(deps);
    await seedStaff(deps);
  },

  addPerson,
};

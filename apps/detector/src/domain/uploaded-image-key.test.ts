import { isUploadedImageKey, uploadedImageKey } from './uploaded-image-key';

describe('uploaded image keys', () => {
  it('recognises the keys POST /detect makes and nothing a user is likely to drop', () => {
    const jpg = uploadedImageKey('.jpg');
    expect(jpg).toMatch(/^images_for_detection\/api-[0-9a-f-]{36}\.jpg$/);
    expect(uploadedImageKey('.png')).not.toBe(uploadedImageKey('.png'));
    expect(isUploadedImageKey(jpg)).toBe(true);
    expect(isUploadedImageKey(uploadedImageKey('.png'))).toBe(true);
    for (const key of ['images_for_detection/api-photo.jpg', 'images_for_detection/drop/' + jpg.split('/')[1], `${jpg}.txt`, jpg.replace('api-', 'API-'), 'images_for_detection/cat.jpg']) {
      expect(isUploadedImageKey(key)).toBe(false);
    }
  });
});

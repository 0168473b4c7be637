export { createRekognitionModelService, type RekognitionModelServiceOptions } from './rekognition-model-service.adapter';

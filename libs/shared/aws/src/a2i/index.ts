export { createA2iHumanReview, type A2iHumanReviewOptions } from './a2i-human-review.adapter';
